//! OpenAPI 3.0 schemas as JSON Schema (draft 7), checked by the
//! `jsonschema` crate: the independent judge of the values we synthesize
//! and of what the generated types encode.
//!
//! The differences that matter: `nullable: true` is `null` allowed
//! (`anyOf` with `{"type": "null"}`), a boolean `exclusiveMinimum`/
//! `exclusiveMaximum` is draft 4's form of draft 7's number, a `oneOf`
//! that normalization made of an `anyOf` is an `anyOf` again. The
//! converted components are one resource of a registry every validator
//! shares; a schema's `$ref`s to `#/components/…` are pointed there.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Compiled validators, one per schema, over one document's components.
pub(crate) struct Validators {
    /// The converted components, once for every validator (a copy in each
    /// took 24 GB for Plaid's 3 MB spec); `None` when they do not load.
    registry: Option<jsonschema::Registry<'static>>,
    compiled: HashMap<String, Option<jsonschema::Validator>>,
    /// The document's component schemas as written, for `errors_read_as`.
    written: Map<String, Value>,
    /// The validators of the components as `errors_read_as` reads them,
    /// made on its first call.
    reread: Option<Box<Validators>>,
}

/// Where the converted components live in the registry.
const COMPONENTS: &str = "urn:alakazam:components";

impl Validators {
    /// Validators for the schemas of `doc` (the normalized document as JSON).
    pub(crate) fn new(doc: &Value) -> Self {
        let written = match doc.pointer("/components/schemas") {
            Some(Value::Object(all)) => all.clone(),
            _ => Map::new(),
        };
        let mut validators = Self::of(&written);
        validators.written = written;
        validators
    }

    /// Validators over `written`, the component schemas.
    fn of(written: &Map<String, Value>) -> Self {
        let mut schemas = Map::new();
        for (name, schema) in written {
            schemas.insert(name.clone(), convert(schema));
        }
        let mut components = Map::new();
        components.insert("schemas".to_owned(), Value::Object(schemas));
        let mut root = Map::new();
        root.insert("components".to_owned(), Value::Object(components));
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft7)
            .add(COMPONENTS, Value::Object(root))
            .and_then(|r| r.prepare())
            .ok();
        Validators {
            registry,
            compiled: HashMap::new(),
            written: Map::new(),
            reread: None,
        }
    }

    /// What `instance` violates of `schema` when every schema, the
    /// components' and `schema`, is read as `reading` rewrites it (another
    /// reader's view: Prism's faker's). The components are rewritten once,
    /// by the first `reading` given.
    pub(crate) fn errors_read_as(
        &mut self,
        reading: &dyn Fn(&Value) -> Value,
        schema: &Value,
        instance: &Value,
    ) -> Option<Vec<String>> {
        let written = &self.written;
        let reread = self.reread.get_or_insert_with(|| {
            let read: Map<String, Value> = written
                .iter()
                .map(|(name, s)| (name.clone(), reading(s)))
                .collect();
            Box::new(Self::of(&read))
        });
        reread.errors(&reading(schema), instance)
    }

    /// Whether `instance` satisfies `schema` (an OpenAPI schema). A schema
    /// the validator cannot compile accepts nothing.
    pub(crate) fn accepts(&mut self, schema: &Value, instance: &Value) -> bool {
        self.errors(schema, instance).is_some_and(|e| e.is_empty())
    }

    /// What `instance` violates (empty: nothing), or `None` when the schema
    /// does not compile.
    pub(crate) fn errors(&mut self, schema: &Value, instance: &Value) -> Option<Vec<String>> {
        Some(
            self.validator(schema)?
                .iter_errors(instance)
                .take(5)
                .map(|e| format!("{} at `{}`", e, e.instance_path()))
                .collect(),
        )
    }

    /// Where `instance` breaks `schema`: the JSON pointer of the value each
    /// violation is about (empty: nothing), or `None` when the schema does
    /// not compile.
    pub(crate) fn error_places(&mut self, schema: &Value, instance: &Value) -> Option<Vec<String>> {
        Some(
            self.validator(schema)?
                .iter_errors(instance)
                .take(16)
                .map(|e| e.instance_path().to_string())
                .collect(),
        )
    }

    fn validator(&mut self, schema: &Value) -> Option<&jsonschema::Validator> {
        let registry = self.registry.as_ref()?;
        self.compiled
            .entry(schema.to_string())
            .or_insert_with(|| compile(registry, schema))
            .as_ref()
    }
}

fn compile(
    registry: &jsonschema::Registry<'static>,
    schema: &Value,
) -> Option<jsonschema::Validator> {
    let mut root = match convert(schema) {
        Value::Object(o) => o,
        other => {
            let mut o = Map::new();
            o.insert("allOf".to_owned(), Value::Array(vec![other]));
            o
        }
    };
    // A `$ref` beside other keywords is all that draft 7 reads: wrap it.
    if root.contains_key("$ref") {
        let inner = Value::Object(std::mem::take(&mut root));
        root.insert("allOf".to_owned(), Value::Array(vec![inner]));
    }
    let mut root = Value::Object(root);
    rebase(&mut root);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_registry(registry)
        .should_validate_formats(true)
        // OpenAPI's `uuid` is not one of draft 7's formats, nor is `ip`
        // (an IPv4 or IPv6 address, as schemars writes `IpAddr`), which the
        // generated types hold as `std::net::IpAddr`.
        .with_format("uuid", is_uuid)
        .with_format("ip", |s: &str| s.parse::<std::net::IpAddr>().is_ok())
        // Nor is `url`, which Prism checks as ajv-formats does: an
        // `http`, `https` or `ftp` URL (Plex's `file:///…` example is not
        // one, and Prism rejected it).
        .with_format("url", is_url)
        // And `duration` (ISO 8601), which draft 7 does not define.
        .with_format("duration", is_duration)
        .build(&root)
        .ok()
}

/// An ISO 8601 duration as ajv-formats reads one: `P`, then date parts
/// (`Y`, `M`, `D`) and, after `T`, time parts (`H`, `M`, `S`), each a
/// whole number, at least one part, and no `T` without a time part; or
/// weeks alone (`P2W`).
fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.chars().all(|c| c.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return false,
        None => (rest, None),
    };
    let parts = |text: &str, units: &str| -> Option<usize> {
        let mut count = 0;
        let mut digits = 0;
        let mut allowed = units;
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits += 1;
            } else if digits > 0
                && let Some(at) = allowed.find(c)
            {
                allowed = &allowed[at + 1..];
                digits = 0;
                count += 1;
            } else {
                return None;
            }
        }
        (digits == 0).then_some(count)
    };
    match (parts(date, "YMD"), time.map(|t| parts(t, "HMS"))) {
        (Some(d), None) => d > 0,
        (Some(_), Some(Some(t))) => t > 0,
        _ => false,
    }
}

/// ajv-formats' `url`: a scheme of `http`, `https` or `ftp`, a host, no
/// white space.
fn is_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let Some(rest) = ["http://", "https://", "ftp://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    !host.is_empty() && !host.starts_with(':') && !s.contains(char::is_whitespace)
}

/// The `$ref`s of a schema outside the components (`#/components/…`)
/// pointed at the components in the registry.
fn rebase(schema: &mut Value) {
    match schema {
        Value::Object(o) => {
            for (key, value) in o.iter_mut() {
                match value {
                    Value::String(r) if key == "$ref" && r.starts_with("#/components/") => {
                        *r = format!("{COMPONENTS}{r}");
                    }
                    _ => rebase(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rebase),
        _ => {}
    }
}

/// A `$ref` as the URI it must be: a spec writes `#/components/schemas/日本語`
/// (the loader reads it as a JSON pointer) where a URI has
/// `%E6%97%A5…`; the validator parses URIs strictly. Every byte a URI
/// fragment cannot hold is percent-encoded; `%` is left alone (the spec
/// may have encoded already).
fn uri_fragment(reference: &str) -> String {
    let mut out = String::with_capacity(reference.len());
    for c in reference.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?#%".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// `8-4-4-4-12` hex digits (RFC 9562's text form).
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One OpenAPI schema (and the schemas inside it) as JSON Schema.
pub(crate) fn convert(schema: &Value) -> Value {
    let Value::Object(o) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in o {
        let converted = match key.as_str() {
            "properties" | "patternProperties" => match value {
                Value::Object(p) => Value::Object(
                    p.iter()
                        .map(|(name, s)| (name.clone(), convert(s)))
                        .collect(),
                ),
                other => other.clone(),
            },
            "$ref" => match value {
                Value::String(r) => Value::String(uri_fragment(r)),
                other => other.clone(),
            },
            "items" | "additionalProperties" | "not" => convert(value),
            "allOf" | "oneOf" | "anyOf" => match value {
                Value::Array(parts) => Value::Array(parts.iter().map(convert).collect()),
                other => other.clone(),
            },
            // Annotations and OpenAPI's own keywords: nothing to check.
            "nullable" | "discriminator" | "example" | "xml" | "externalDocs" | "readOnly"
            | "writeOnly" | "deprecated" | "exclusiveMinimum" | "exclusiveMaximum" => continue,
            k if k.starts_with("x-") => continue,
            _ => value.clone(),
        };
        // A `oneOf` that normalization made of an `anyOf` is judged as one.
        let key = match key.as_str() {
            "oneOf" if o.get(codegen::ANY_OF_EXTENSION) == Some(&Value::Bool(true)) => "anyOf",
            k => k,
        };
        out.insert(key.to_owned(), converted);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if o.get(flag).and_then(Value::as_bool) == Some(true)
            && let Some(b) = out.remove(bound)
        {
            out.insert(flag.to_owned(), b);
        }
    }
    if o.get("nullable").and_then(Value::as_bool) == Some(true) {
        let mut wrapped = Map::new();
        let null = serde_json::json!({"type": "null"});
        wrapped.insert(
            "anyOf".to_owned(),
            Value::Array(vec![Value::Object(out), null]),
        );
        return Value::Object(wrapped);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_as_iso_8601_writes_them() {
        for ok in ["P1D", "PT1H", "P1DT2H", "P3Y6M4DT12H30M5S", "P2W"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "P", "PT", "1D", "P1H", "PT1D", "P1DT", "lumen", "P1.5D", "P1W2D", "PW",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn urls_as_ajv_formats_reads_them() {
        assert!(is_url("https://example.com/r/1"));
        assert!(is_url("FTP://user:pw@files.example.com:21/a"));
        assert!(!is_url("file:///storage%2Femulated%2F0%2FArcher.mkv"));
        assert!(!is_url("https://"));
        assert!(!is_url("https://exa mple.com"));
        assert!(!is_url("lumen"));
    }

    #[test]
    fn nullable_refs_and_exclusive_bounds() {
        let doc = json!({"components": {"schemas": {
            "Id": {"type": "string", "format": "uuid"},
            "N": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "nullable": true}}}});
        let mut v = Validators::new(&doc);
        let id = json!({"$ref": "#/components/schemas/Id"});
        assert!(v.accepts(&id, &json!("3c90c3cc-0d44-4b50-8888-8dd25736052a")));
        assert!(!v.accepts(&id, &json!("not-a-uuid")));
        let n = json!({"$ref": "#/components/schemas/N"});
        assert!(v.accepts(&n, &json!(1)));
        assert!(v.accepts(&n, &Value::Null));
        assert!(!v.accepts(&n, &json!(0)));
        let errors = v.errors(&n, &json!("x")).unwrap_or_default();
        assert!(!errors.is_empty());
    }

    #[test]
    fn a_one_of_made_of_an_any_of_is_judged_as_one() {
        let doc = json!({"components": {"schemas": {
            "Was": {"oneOf": [{"type": "string"}, {}], codegen::ANY_OF_EXTENSION: true},
            "Is": {"oneOf": [{"type": "string"}, {}]}}}});
        let mut v = Validators::new(&doc);
        let was = json!({"$ref": "#/components/schemas/Was"});
        let is = json!({"$ref": "#/components/schemas/Is"});
        assert!(v.accepts(&was, &json!("both")));
        assert!(!v.accepts(&is, &json!("both")));
        assert!(v.accepts(&is, &json!(1)));
    }

    #[test]
    fn references_to_names_a_uri_cannot_hold_resolve() {
        let doc = json!({"components": {"schemas": {
            "日本語 名": {"type": "string", "enum": ["a"]},
            "Label": {"type": "object", "required": ["k"],
                "properties": {"k": {"$ref": "#/components/schemas/日本語 名"}}}}}});
        let mut v = Validators::new(&doc);
        let label = json!({"$ref": "#/components/schemas/Label"});
        assert!(v.accepts(&label, &json!({"k": "a"})));
        assert!(!v.accepts(&label, &json!({"k": "b"})));
        let direct = json!({"$ref": "#/components/schemas/日本語 名"});
        assert!(v.accepts(&direct, &json!("a")));
    }
}
