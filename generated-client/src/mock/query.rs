//! Query matchers for parameters of any `style`: the pairs a mock expects
//! are the ones the client writes (the runtime's `append_query`), so a
//! `deepObject` or `pipeDelimited` parameter matches as it is sent rather
//! than as its `Display` (which such a type does not have).

use serde::Serialize;

use crate::runtime::{Style, append_query};

/// Whether `key` is the parameter `name` itself or one of its
/// `deepObject` keys `name[…]`.
fn is_named(key: &str, name: &str) -> bool {
    key == name
        || key
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('['))
}

/// The pairs of `query` that belong to the parameter: its name, its
/// `deepObject` keys and the keys `want` has (an exploded `form` object
/// is one pair per property, named after the property).
fn pairs_of(
    query: impl Iterator<Item = (String, String)>,
    name: &str,
    want: &[(String, String)],
) -> Vec<(String, String)> {
    query
        .filter(|(key, _)| is_named(key, name) || want.iter().any(|(k, _)| k == key))
        .collect()
}

/// The decoded pairs the client writes for `value`; `None` when it
/// cannot be written (the client's `send()` fails the same way).
fn expected(
    name: &str,
    value: &(impl Serialize + ?Sized),
    style: Style,
    explode: bool,
) -> Option<Vec<(String, String)>> {
    let mut url = url::Url::parse("http://localhost/").ok()?;
    append_query(&mut url, name, &value, style, explode).ok()?;
    Some(url.query_pairs().into_owned().collect())
}

/// Matchers for httpmock's `When`.
pub trait WhenQueryExt: Sized {
    /// Matches a request whose query parameter `name` is exactly what the
    /// client writes for `value` with this `style` and `explode`: the same
    /// pairs, in the same order, and no other pair of that name or of
    /// those keys (compared decoded, so `%5B` and `[` alike).
    fn query_styled(
        self,
        name: &str,
        value: &(impl Serialize + ?Sized),
        style: Style,
        explode: bool,
    ) -> Self;
    /// Matches a request without the query parameter `name` (no pair
    /// `name`, no `name[…]`; an exploded `form` object, whose pairs are
    /// named after its properties, is not looked for).
    fn query_absent(self, name: &str) -> Self;
}

impl WhenQueryExt for httpmock::When {
    fn query_styled(
        self,
        name: &str,
        value: &(impl Serialize + ?Sized),
        style: Style,
        explode: bool,
    ) -> Self {
        let Some(want) = expected(name, value, style, explode) else {
            // Nothing the client sends can match.
            return self.is_true(|_| false);
        };
        let name = name.to_owned();
        self.is_true(move |request| {
            pairs_of(request.query_params().into_iter(), &name, &want) == want
        })
    }

    fn query_absent(self, name: &str) -> Self {
        let name = name.to_owned();
        self.is_true(move |request| {
            !request
                .query_params()
                .iter()
                .any(|(key, _)| is_named(key, &name))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_pairs_are_the_decoded_pairs_of_the_style() {
        let value = serde_json::json!({"a": 1, "b": {"c": "x y"}});
        assert_eq!(
            expected("f", &value, Style::DeepObject, true).unwrap(),
            vec![
                ("f[a]".to_owned(), "1".to_owned()),
                ("f[b][c]".to_owned(), "x y".to_owned())
            ]
        );
        let tags = vec!["a", "b|c"];
        assert_eq!(
            expected("t", &tags, Style::PipeDelimited, false).unwrap(),
            vec![("t".to_owned(), "a|b|c".to_owned())]
        );
        assert_eq!(
            expected("t", &None::<u8>, Style::Form, true).unwrap(),
            vec![]
        );
    }

    #[test]
    fn the_parameter_s_pairs_are_its_name_its_brackets_and_its_keys() {
        let query = [
            ("f", "1"),
            ("f[a]", "2"),
            ("fa", "3"),
            ("g[f]", "4"),
            ("x", "5"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let want = [("x".to_owned(), "5".to_owned())];
        let keys: Vec<String> = pairs_of(query.into_iter(), "f", &want)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["f", "f[a]", "x"]);
    }
}
