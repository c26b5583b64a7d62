//! A normalization pass (their order: `normalize/mod.rs`): every scheme a `security` requirement names is one
//! `components.securitySchemes` declares.
//!
//! A credential is placed where its scheme says (a header, a query
//! parameter, `Authorization`); a name the document does not declare says
//! nowhere, so the client cannot send it. The scheme is left out of its
//! alternative, with a warning at the requirement. An alternative left
//! with nothing is where a reading must be chosen, because the runtime
//! sends the first alternative the client holds every credential of, and
//! an empty one it always holds:
//!
//! - **another alternative remains: the emptied one is dropped.** Kept as
//!   "no credentials", it would be met before (or instead of) the ones
//!   the user can meet, and the call would go out without the credentials
//!   the spec asks for: a request the server must refuse. Dropping it
//!   blocks only a call through the undeclared scheme, which the client
//!   could not have placed anyway.
//! - **none remains: the requirement becomes one empty alternative**
//!   (credentials optional). There is no declared credential to send, and
//!   failing before sending would block a call the user can still make
//!   (with the credential on their own `reqwest::Client`'s default
//!   headers, or against a server that does not insist); the server's 401
//!   says more than a client that guesses.
//!
//! An alternative that still names declared schemes is kept without the
//! undeclared ones, but moved after the alternatives no scheme was taken
//! from: trimmed, it asks for less than the spec does, and met first it
//! would send a request short of a credential while the client holds every
//! credential of a fully declared alternative.
//!
//! A `mutualTLS` scheme (OpenAPI 3.1) is met by the connection, not by
//! anything a request carries: the client certificate is the
//! `reqwest::Client`'s identity (`ClientBuilder::http_client`). It is left
//! out of `components.securitySchemes` (openapiv3 does not know the type,
//! and nothing per request could be generated from it), with a warning
//! there; an alternative it alone made up is kept as an empty one, moved
//! after the alternatives that carry credentials: the runtime then sends
//! the credentials the user set when there are any, and otherwise relies on
//! the connection, which is all the spec asks of that alternative.
//!
//! Generation then reads only declared schemes (`generate/security.rs`
//! asserts it in debug builds).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::doc::Doc;
use crate::document::operations::operations;
use crate::document::pointer::Lookup;
use crate::document::security_schemes::{self, Link};

pub(crate) fn run(doc: &mut Doc) {
    let connection = connection_schemes(doc);
    let declared = declared(&doc.root);
    let mut sites = vec!["/security".to_owned()];
    sites.extend(
        operations(&doc.root)
            .into_iter()
            .map(|(ptr, ..)| format!("{ptr}/security")),
    );
    for site in sites {
        if !connection.is_empty() {
            met_by_connection(doc, &site, &connection);
        }
        requirement(doc, &site, &declared);
    }
}

/// The `mutualTLS` schemes, taken out of `components.securitySchemes`.
fn connection_schemes(doc: &mut Doc) -> BTreeSet<String> {
    let Some(Value::Object(schemes)) = doc.root.at_mut("/components/securitySchemes") else {
        return BTreeSet::new();
    };
    let names: BTreeSet<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &names {
        schemes.remove(name);
    }
    for name in &names {
        doc.warn(
            &format!("/components/securitySchemes/{}", escape(name)),
            format!(
                "security scheme `{name}` is mutual TLS, which the connection meets, not a request: \
                 it is left out, and an alternative of it alone is sent without credentials"
            ),
            Some("give the client certificate to your own `reqwest::Client` (`Identity`) and pass it to `ClientBuilder::http_client`"),
        );
    }
    names
}

/// Removes the `connection` schemes from the requirement at `site`; an
/// alternative they alone made up becomes one empty alternative after the
/// others.
fn met_by_connection(doc: &mut Doc, site: &str, connection: &BTreeSet<String>) {
    let Some(Value::Array(alternatives)) = doc.root.at_mut(site) else {
        return;
    };
    let mut by_connection = false;
    let mut kept = Vec::new();
    for (old, mut alternative) in std::mem::take(alternatives).into_iter().enumerate() {
        if let Value::Object(names) = &mut alternative {
            let before = names.len();
            names.retain(|name, _| !connection.contains(name));
            if names.is_empty() && before > 0 {
                by_connection = true;
                continue;
            }
        }
        kept.push((old, alternative));
    }
    let moves: Vec<(usize, usize)> = kept
        .iter()
        .enumerate()
        .map(|(new, (old, _))| (new, *old))
        .filter(|(new, old)| new != old)
        .collect();
    alternatives.extend(kept.into_iter().map(|(_, a)| a));
    if by_connection
        && !alternatives
            .iter()
            .any(|a| a.as_object().is_some_and(Map::is_empty))
    {
        alternatives.push(Value::Object(Map::new()));
    }
    for (new, old) in moves {
        doc.origins
            .record(&format!("{site}/{new}"), &format!("{site}/{old}"));
    }
}

/// A JSON pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The names of `components.securitySchemes` that are, or `$ref` through
/// that section to, a scheme the typed model reads.
fn declared(root: &Value) -> BTreeSet<String> {
    let Some(schemes) = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Value::as_object)
    else {
        return BTreeSet::new();
    };
    schemes
        .iter()
        .filter(|(_, scheme)| resolves(schemes, scheme))
        .map(|(name, _)| name.clone())
        .collect()
}

fn resolves<'a>(schemes: &'a Map<String, Value>, scheme: &'a Value) -> bool {
    security_schemes::resolve(
        scheme,
        |node: &'a Value| match node.get("$ref") {
            Some(reference) => reference.as_str().map_or(Link::Broken, Link::Ref),
            // One the typed model cannot read is left out there
            // (`model/degrade.rs`): it declares nothing either.
            None if <openapiv3::SecurityScheme as serde::Deserialize>::deserialize(node)
                .is_ok() =>
            {
                Link::Scheme(())
            }
            None => Link::Broken,
        },
        |name| schemes.get(name),
    )
    .is_some()
}

/// What became of an alternative that named an undeclared scheme.
#[derive(Clone, Copy)]
enum Fate {
    /// It still names declared schemes; `moved`: after an untouched
    /// alternative.
    Kept { moved: bool },
    /// Emptied, and dropped: another alternative remains.
    Dropped,
    /// Emptied, as every other: the requirement is one empty alternative.
    Anonymous,
}

fn requirement(doc: &mut Doc, site: &str, declared: &BTreeSet<String>) {
    let Some(Value::Array(alternatives)) = doc.root.at(site) else {
        return;
    };
    // (index, undeclared names, emptied by their removal)
    let mut changed: Vec<(usize, Vec<String>, bool)> = Vec::new();
    for (i, alternative) in alternatives.iter().enumerate() {
        let Some(alternative) = alternative.as_object() else {
            continue;
        };
        let undeclared: Vec<String> = alternative
            .keys()
            .filter(|name| !declared.contains(*name))
            .cloned()
            .collect();
        if !undeclared.is_empty() {
            let emptied = undeclared.len() == alternative.len();
            changed.push((i, undeclared, emptied));
        }
    }
    if changed.is_empty() {
        return;
    }
    let count = alternatives.len();
    let emptied = changed.iter().filter(|(.., e)| *e).count();
    let anonymous = emptied == count;

    let untouched = alternatives.len() - changed.len();
    let help = help(declared);
    for (i, names, emptied) in &changed {
        let fate = match (emptied, anonymous) {
            (false, _) => Fate::Kept {
                moved: untouched > 0,
            },
            (true, false) => Fate::Dropped,
            (true, true) => Fate::Anonymous,
        };
        for name in names {
            doc.warn(&format!("{site}/{i}"), message(name, fate), Some(&help));
        }
    }

    let Some(Value::Array(alternatives)) = doc.root.at_mut(site) else {
        return;
    };
    if anonymous {
        *alternatives = vec![Value::Object(Map::new())];
        return;
    }
    let dropped: BTreeSet<usize> = changed
        .iter()
        .filter(|(.., emptied)| *emptied)
        .map(|(i, ..)| *i)
        .collect();
    for (i, names, _) in &changed {
        if let Some(Value::Object(alternative)) = alternatives.get_mut(*i) {
            for name in names {
                alternative.remove(name);
            }
        }
    }
    // An alternative trimmed of a scheme asks for less than the spec does;
    // the runtime sends the first alternative the client holds, so the
    // untouched ones go first and a trimmed one is met only when none of
    // them is.
    let trimmed: BTreeSet<usize> = changed.iter().map(|(i, ..)| *i).collect();
    let order: Vec<usize> = (0..count)
        .filter(|i| !trimmed.contains(i))
        .chain(trimmed.iter().copied().filter(|i| !dropped.contains(i)))
        .collect();
    let mut old: Vec<Option<Value>> = std::mem::take(alternatives).into_iter().map(Some).collect();
    alternatives.extend(order.iter().filter_map(|&i| old[i].take()));
    // Alternatives move; their findings stay located in the source.
    let moves: Vec<(String, String)> = order
        .iter()
        .enumerate()
        .filter(|(new, old)| new != *old)
        .map(|(new, old)| (format!("{site}/{new}"), format!("{site}/{old}")))
        .collect();
    doc.origins.record_all(&moves);
}

fn message(name: &str, fate: Fate) -> String {
    let what = format!("security scheme `{name}` is not declared in `components.securitySchemes`");
    match fate {
        Fate::Kept { moved: false } => format!("{what}; this alternative is sent without it"),
        Fate::Kept { moved: true } => format!(
            "{what}; this alternative is sent without it, after the alternatives that name only declared schemes"
        ),
        Fate::Dropped => format!("{what}; this alternative is left out, another can be met"),
        Fate::Anonymous => format!(
            "{what}; no alternative names a declared scheme, so the call is sent without credentials"
        ),
    }
}

/// The names that are declared, a few of them.
fn help(declared: &BTreeSet<String>) -> String {
    const SHOWN: usize = 8;
    if declared.is_empty() {
        return "declare the scheme under `components.securitySchemes` (the document declares none)"
            .to_owned();
    }
    let mut names: Vec<String> = declared
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect();
    if declared.len() > SHOWN {
        names.push(format!("and {} more", declared.len() - SHOWN));
    }
    format!(
        "declare the scheme under `components.securitySchemes`, or name a declared one: {}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn normalized(root: Value) -> Doc {
        let mut doc = Doc::new(root);
        run(&mut doc);
        doc
    }

    #[test]
    fn mutual_tls_is_left_to_the_connection_after_the_credentials() {
        let doc = normalized(json!({
            "security": [{"mtls": []}, {"key": []}, {"mtls": [], "key": []}],
            "paths": {"/a": {"get": {"security": [{"mtls": []}]}},
                      "/b": {"get": {"security": [{}, {"mtls": []}]}}},
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            }},
        }));
        // The credentials first; the connection's alternative last, empty.
        assert_eq!(doc.root["security"], json!([{"key": []}, {"key": []}, {}]));
        assert_eq!(doc.origins.source("/security/0"), "/security/1");
        assert_eq!(doc.root["paths"]["/a"]["get"]["security"], json!([{}]));
        assert_eq!(doc.root["paths"]["/b"]["get"]["security"], json!([{}]));
        assert_eq!(
            doc.root["components"]["securitySchemes"],
            json!({"key": {"type": "apiKey", "in": "header", "name": "X-Key"}})
        );
        // One warning, at the scheme; none for the requirements.
        assert_eq!(doc.findings.len(), 1, "{:?}", doc.findings);
        assert_eq!(doc.findings[0].pointer, "/components/securitySchemes/mtls");
        assert!(doc.findings[0].message.contains("mutual TLS"));
    }

    #[test]
    fn an_alternative_moved_up_is_located_where_the_source_has_it() {
        let doc = normalized(json!({
            "security": [{"ghost": []}, {"a": []}, {"b": []}],
            "components": {"securitySchemes": {"a": {"type": "http", "scheme": "bearer"},
                                               "b": {"type": "http", "scheme": "basic"}}},
        }));
        assert_eq!(doc.root["security"], json!([{"a": []}, {"b": []}]));
        assert_eq!(doc.origins.source("/security/0"), "/security/1");
        assert_eq!(doc.origins.source("/security/1/b"), "/security/2/b");
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].pointer, "/security/0");
    }

    #[test]
    fn a_trimmed_alternative_goes_after_the_untouched_ones() {
        let doc = normalized(json!({
            "security": [{"ghost": []}, {"a": [], "ghost": []}, {"b": []}, {"a": [], "b": []}],
            "components": {"securitySchemes": {"a": {"type": "http", "scheme": "bearer"},
                                               "b": {"type": "http", "scheme": "basic"}}},
        }));
        assert_eq!(
            doc.root["security"],
            json!([{"b": []}, {"a": [], "b": []}, {"a": []}])
        );
        assert_eq!(doc.origins.source("/security/0"), "/security/2");
        assert_eq!(doc.origins.source("/security/1/b"), "/security/3/b");
        assert_eq!(doc.origins.source("/security/2/a"), "/security/1/a");
        assert_eq!(doc.findings.len(), 2, "{:?}", doc.findings);
        assert_eq!(doc.findings[1].pointer, "/security/1");
        assert!(
            doc.findings[1]
                .message
                .ends_with("after the alternatives that name only declared schemes"),
            "{}",
            doc.findings[1].message
        );
    }

    #[test]
    fn reordering_after_the_connection_moved_alternatives_maps_to_the_source() {
        let doc = normalized(json!({
            "security": [{"mtls": []}, {"a": [], "ghost": []}, {"b": []}],
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "a": {"type": "http", "scheme": "bearer"},
                "b": {"type": "http", "scheme": "basic"},
            }},
        }));
        // The connection's empty alternative stays untouched, so last but one.
        assert_eq!(doc.root["security"], json!([{"b": []}, {}, {"a": []}]));
        assert_eq!(doc.origins.source("/security/0"), "/security/2");
        assert_eq!(doc.origins.source("/security/2"), "/security/1");
    }

    #[test]
    fn schemes_declared_through_a_ref_count_and_chains_that_end_nowhere_do_not() {
        let doc = normalized(json!({
            "security": [{"alias": [], "broken": []}],
            "components": {"securitySchemes": {
                "a": {"type": "http", "scheme": "bearer"},
                "alias": {"$ref": "#/components/securitySchemes/a"},
                "broken": {"$ref": "#/components/securitySchemes/missing"},
            }},
        }));
        assert_eq!(doc.root["security"], json!([{"alias": []}]));
        assert!(
            doc.findings[0].message.contains("`broken`"),
            "{:?}",
            doc.findings[0].message
        );
    }

    #[test]
    fn a_requirement_with_no_declared_scheme_becomes_optional() {
        let doc = normalized(json!({
            "paths": {"/a": {"get": {"security": [{"x": [], "y": []}, {"z": []}]}}},
        }));
        assert_eq!(doc.root["paths"]["/a"]["get"]["security"], json!([{}]));
        assert_eq!(doc.findings.len(), 3);
        assert!(
            doc.findings[0]
                .help
                .as_deref()
                .unwrap()
                .contains("declares none"),
            "{:?}",
            doc.findings[0].help
        );
    }
}
