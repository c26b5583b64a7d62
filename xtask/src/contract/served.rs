//! The spec file Prism serves: SPEC itself, unless its examples or
//! extensions hold `$ref` keys that are data, or files Prism need not read.
//!
//! SCIM resources carry a `$ref` member (a URL), so GitHub's examples of
//! them do too. Prism's reference resolver reads every `$ref` of the file,
//! examples included, and tries to download the URL: it exits before it
//! serves anything (and no host outside this machine is to be reached).
//! Such a spec is served as a copy whose example and extension `$ref`s that
//! are not local pointers are renamed `x-ref`. Only example data changes:
//! the schemas, parameters and responses Prism checks and generates from
//! are SPEC's own.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::{Failure, scratch};

/// The file to give Prism: `spec_path`, or a copy written into `dir`.
pub(super) fn spec_for_prism(
    spec: &Value,
    spec_path: &Path,
    dir: &Path,
) -> Result<PathBuf, Failure> {
    let mut copy = spec.clone();
    if escape_example_refs(&mut copy, false) == 0 {
        return Ok(spec_path.to_path_buf());
    }
    let path = dir.join("served-spec.json");
    scratch::write(&path, &copy.to_string())?;
    eprintln!(
        "Prism serves {} (example `$ref`s that are data renamed `x-ref`)",
        path.display()
    );
    Ok(path)
}

/// Renames the non-local `$ref` keys found inside `example`/`examples`
/// values and `x-` extensions; returns how many.
fn escape_example_refs(v: &mut Value, in_example: bool) -> usize {
    match v {
        Value::Object(o) => {
            let mut count = 0;
            if in_example
                && o.get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| !r.starts_with('#'))
            {
                rename(o, "$ref", "x-ref");
                count += 1;
            }
            for (key, child) in o.iter_mut() {
                // Extensions (`x-codeSamples` pointing at `examples/*.php`
                // in dropboxsign's spec) are nothing Prism serves either.
                let example =
                    in_example || key == "example" || key == "examples" || key.starts_with("x-");
                count += escape_example_refs(child, example);
            }
            count
        }
        Value::Array(items) => items
            .iter_mut()
            .map(|i| escape_example_refs(i, in_example))
            .sum(),
        _ => 0,
    }
}

fn rename(o: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(v) = o.remove(from) {
        o.insert(to.to_owned(), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_example_refs_that_are_urls_are_renamed() {
        let mut spec = json!({
            "components": {"examples": {"group": {"value": {"members": [
                {"value": "1", "$ref": "https://example.com/Users/1"}]}}},
            "paths": {"/a": {"get": {"x-codeSamples": [{"lang": "PHP",
                "source": {"$ref": "examples/AccountGetExample.php"}}]}}},
            "schemas": {"A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "object", "example": {"$ref": "#/not/a/url"}}}}});
        assert_eq!(escape_example_refs(&mut spec, false), 2);
        assert_eq!(
            spec["components"]["paths"]["/a"]["get"]["x-codeSamples"][0]["source"]["x-ref"],
            json!("examples/AccountGetExample.php")
        );
        let member = &spec["components"]["examples"]["group"]["value"]["members"][0];
        assert_eq!(member["x-ref"], json!("https://example.com/Users/1"));
        assert!(member.get("$ref").is_none());
        assert_eq!(
            spec["components"]["schemas"]["A"]["$ref"],
            json!("#/components/schemas/B")
        );
        assert_eq!(
            spec["components"]["schemas"]["B"]["example"]["$ref"],
            json!("#/not/a/url")
        );
    }
}
