//! Following a `$ref` between security schemes, for normalization (on the
//! JSON tree) and generation (on the typed model) alike: both must agree
//! on which names are declared, or generation meets a scheme
//! normalization let through.

/// Where a security scheme `$ref` may point.
const PREFIX: &str = "#/components/securitySchemes/";

/// How many `$ref`s a chain may take; a longer one (or a cycle) declares
/// nothing.
const REF_DEPTH: usize = 8;

/// What one node of a chain is.
pub(crate) enum Link<'a, S> {
    /// A scheme: the chain ends here.
    Scheme(S),
    /// A `$ref`, to the pointer given.
    Ref(&'a str),
    /// Neither (a `$ref` that is not a string, a node that is no mapping).
    Broken,
}

/// The scheme `start` is, or names through `$ref`s into
/// `components.securitySchemes`; `link` reads a node, `lookup` finds a
/// scheme by name.
pub(crate) fn resolve<'a, N: ?Sized, S>(
    start: &'a N,
    link: impl Fn(&'a N) -> Link<'a, S>,
    lookup: impl Fn(&str) -> Option<&'a N>,
) -> Option<S> {
    let mut node = start;
    for _ in 0..REF_DEPTH {
        match link(node) {
            Link::Scheme(scheme) => return Some(scheme),
            Link::Ref(reference) => node = lookup(reference.strip_prefix(PREFIX)?)?,
            Link::Broken => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A scheme is a `Some`, a `$ref` a `None` pointing on.
    fn chain(names: &[(&'static str, Option<&'static str>)]) -> HashMap<&'static str, String> {
        names
            .iter()
            .map(|(n, to)| (*n, to.map(|t| format!("{PREFIX}{t}")).unwrap_or_default()))
            .collect()
    }

    fn resolved(map: &HashMap<&'static str, String>, start: &str) -> bool {
        resolve(
            map[start].as_str(),
            |node: &str| match node {
                "" => Link::Scheme(()),
                reference => Link::Ref(reference),
            },
            |name| map.get(name).map(String::as_str),
        )
        .is_some()
    }

    #[test]
    fn chains_end_at_a_scheme_within_the_depth() {
        let map = chain(&[("a", None), ("b", Some("a")), ("c", Some("b"))]);
        assert!(resolved(&map, "c"));
        let cycle = chain(&[("x", Some("y")), ("y", Some("x"))]);
        assert!(!resolved(&cycle, "x"));
        let dangling = chain(&[("x", Some("missing"))]);
        assert!(!resolved(&dangling, "x"));
        let long: Vec<(&'static str, Option<&'static str>)> = vec![
            ("s0", None),
            ("s1", Some("s0")),
            ("s2", Some("s1")),
            ("s3", Some("s2")),
            ("s4", Some("s3")),
            ("s5", Some("s4")),
            ("s6", Some("s5")),
            ("s7", Some("s6")),
            ("s8", Some("s7")),
        ];
        let long = chain(&long);
        // Seven `$ref`s are followed; eight hops without reaching a scheme are not.
        assert!(resolved(&long, "s7"));
        assert!(!resolved(&long, "s8"));
    }
}
