//! A normalization pass (their order: `normalize/mod.rs`): the first
//! `servers` entry becomes the client's default base URL, or is left out
//! with a warning.
//!
//! The generated client's default base URL (`GeneratedClient::
//! DEFAULT_BASE_URL`, read by `generate/operations.rs`) is `servers[0].url`
//! as this pass leaves it: an absolute `http` or `https` URL without query
//! or fragment, its server variables (`{region}`) replaced by their
//! `default`s and its `variables` gone.
//!
//! Where the first server cannot be reached as written, `servers` is left
//! out, with a warning at it, and the client has no default:
//! `ClientBuilder::build` asks for a base URL rather than sending requests
//! to a guess. The next server is not promoted: the first is the one the
//! spec calls the default, and the others are often a sandbox or a
//! region the caller must choose.
//!
//! - **A relative URL** (`/api/v3`, or none given: OpenAPI's default `/`)
//!   is relative to where the document was served, which a generator
//!   reading a file does not know.
//! - **A variable without a string `default`** (or one the URL names but
//!   `variables` does not declare) leaves no URL to send to.
//! - **Another scheme** (`ws://`, `ftp://`), a query or a fragment: the
//!   runtime's base URL cannot be one.
//!
//! Only the first server counts, as in the OpenAPI reading that the first
//! entry is the default; no warning for a document without `servers`.

use serde_json::{Map, Value};

use super::doc::Doc;
use crate::document::pointer::Lookup;

const SET_BASE_URL: &str = "set the base URL with `ClientBuilder::base_url`";

pub(crate) fn run(doc: &mut Doc) {
    let Some(Value::Object(server)) = doc.root.at("/servers/0") else {
        return;
    };
    match resolve(server) {
        Ok(url) => {
            if let Some(Value::Object(server)) = doc.root.at_mut("/servers/0") {
                server.insert("url".to_owned(), Value::String(url));
                server.remove("variables");
            }
        }
        Err(why) => {
            if let Some(Value::Object(root)) = doc.root.at_mut("") {
                root.remove("servers");
            }
            doc.warn(
                "/servers/0",
                format!("the first server gives the client no default base URL: {why}"),
                Some(SET_BASE_URL),
            );
        }
    }
}

/// The first server's URL with its variables replaced, or why there is
/// none.
fn resolve(server: &Map<String, Value>) -> Result<String, String> {
    let template = server.get("url").and_then(Value::as_str).unwrap_or("/");
    let variables = server.get("variables").and_then(Value::as_object);
    let mut url = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(format!("`{template}` has a `{{` that no `}}` closes"));
        };
        let name = &rest[open + 1..open + close];
        let default = variables
            .and_then(|v| v.get(name))
            .and_then(|v| v.get("default"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                format!("`{template}` names the variable `{name}`, which has no string `default`")
            })?;
        url.push_str(default);
        rest = &rest[open + close + 1..];
    }
    url.push_str(rest);
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let Some(after) = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
    else {
        return Err(if lower.contains("://") {
            format!("`{url}` is not an http or https URL")
        } else {
            format!(
                "`{url}` is relative to wherever the document was served from, \
                 which the generator does not know"
            )
        });
    };
    let host = after.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || url.contains(char::is_whitespace) {
        return Err(format!("`{url}` has no host, or a space"));
    }
    if url.contains(['?', '#']) {
        return Err(format!("`{url}` has a query or a fragment"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn first_server(servers: Value) -> (Option<Value>, Vec<String>) {
        let mut doc = Doc::new(json!({ "servers": servers }));
        run(&mut doc);
        let url = doc.root.at("/servers/0/url").cloned();
        (url, doc.findings.into_iter().map(|f| f.message).collect())
    }

    #[test]
    fn variables_take_their_defaults() {
        let (url, warnings) = first_server(json!([{
            "url": "https://{region}.api.example.com:{port}/v{version}/",
            "variables": {
                "region": {"default": "eu", "enum": ["eu", "us"]},
                "port": {"default": "8443"},
                "version": {"default": "2"}
            }
        }]));
        assert_eq!(url, Some(json!("https://eu.api.example.com:8443/v2")));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn an_absolute_url_is_kept_as_it_is() {
        let (url, warnings) = first_server(json!([
            {"url": "https://api.alakazam.gg"},
            {"url": "https://staging.example.com"}
        ]));
        assert_eq!(url, Some(json!("https://api.alakazam.gg")));
        assert!(warnings.is_empty());
    }

    #[test]
    fn what_cannot_be_reached_is_left_out_with_a_warning() {
        for (server, why) in [
            (json!({"url": "/api/v3"}), "relative"),
            (json!({}), "relative"),
            (json!({"url": "https://{tenant}.example.com"}), "`tenant`"),
            (
                json!({"url": "https://{tenant}.example.com", "variables": {"tenant": {"enum": ["a"]}}}),
                "`tenant`",
            ),
            (json!({"url": "https://x.example.com/{v"}), "no `}` closes"),
            (json!({"url": "wss://x.example.com"}), "not an http"),
            (json!({"url": "https://x.example.com/?v=1"}), "query"),
            (json!({"url": "https:///path"}), "no host"),
        ] {
            let (url, warnings) =
                first_server(json!([server.clone(), {"url": "https://b.example"}]));
            // The next server is not promoted.
            assert_eq!(url, None, "{server}");
            assert_eq!(warnings.len(), 1, "{server}");
            assert!(warnings[0].contains(why), "{server}: {}", warnings[0]);
        }
    }

    #[test]
    fn no_servers_no_warning() {
        let mut doc = Doc::new(json!({"openapi": "3.0.3"}));
        run(&mut doc);
        assert!(doc.findings.is_empty());
    }
}
