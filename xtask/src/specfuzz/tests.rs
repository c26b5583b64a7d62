use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

/// Documents 0..N of seed 7: enough to meet every strategy branch.
fn documents(n: u32) -> Vec<(u32, Value)> {
    (0..n)
        .map(|i| (i, render::render(&build(7, i), render::Options::default())))
        .collect()
}

fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer)
}

/// Every `$ref` of `value`, in order; not those in `default`s and
/// `example`s, which are values, not references (a property named
/// `default` is skipped too: the other tests meet its references), nor
/// in OAuth scopes and discriminator mappings, maps of names where `$ref`
/// is one more name, nor in `x-` extensions, which are data.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                out.push(r);
            }
            o.iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "default" | "example" | "scopes" | "mapping")
                        && !k.starts_with("x-")
                })
                .for_each(|(_, v)| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn one_seed_and_index_give_one_document() {
    let a = case(3, 11, &build(3, 11), render::Options::default(), &[]);
    let b = case(3, 11, &build(3, 11), render::Options::default(), &[]);
    assert_eq!(a.text, b.text);
    assert_eq!(a.file_name, b.file_name);
    assert_ne!(
        a.text,
        case(3, 12, &build(3, 12), render::Options::default(), &[]).text
    );
    assert_ne!(
        a.text,
        case(4, 11, &build(4, 11), render::Options::default(), &[]).text
    );
}

#[test]
fn documents_are_valid_openapi() {
    let component = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    for (i, doc) in documents(300) {
        assert_eq!(doc["openapi"], "3.0.3");
        let mut all = Vec::new();
        refs(&doc, &mut all);
        for r in all {
            assert!(resolve(&doc, r).is_some(), "#{i}: {r} does not resolve");
        }
        if let Some(components) = doc.get("components").and_then(Value::as_object) {
            for section in components.values() {
                for name in section.as_object().into_iter().flat_map(|s| s.keys()) {
                    assert!(component(name), "#{i}: component name {name:?}");
                }
            }
        }
        let mut ids = BTreeSet::new();
        let mut shapes = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            assert!(path.starts_with('/'), "#{i}: {path}");
            let template: BTreeSet<String> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .map(str::to_owned)
                .collect();
            let shape: String = path
                .split('/')
                .map(|s| if s.starts_with('{') { "{}" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            assert!(shapes.insert(shape), "#{i}: two paths like {path}");
            let deref = |p: &'_ Value| -> Value {
                match p.get("$ref").and_then(Value::as_str) {
                    Some(r) => resolve(&doc, r).cloned().unwrap_or(Value::Null),
                    None => p.clone(),
                }
            };
            for (method, op) in item.as_object().into_iter().flatten() {
                if method == "parameters" {
                    continue;
                }
                if let Some(id) = op.get("operationId") {
                    assert!(ids.insert(id.to_string()), "#{i}: operationId {id} twice");
                }
                let params: Vec<Value> = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(deref)
                    .collect();
                let mut keys = BTreeSet::new();
                let mut in_path = BTreeSet::new();
                for p in &params {
                    let name = p["name"].as_str().unwrap_or_default().to_owned();
                    let location = p["in"].as_str().unwrap_or_default().to_owned();
                    assert!(
                        keys.insert((name.clone(), location.clone())),
                        "#{i}: {method} {path}: {name} in {location} twice"
                    );
                    if matches!(location.as_str(), "header" | "cookie") {
                        assert!(!name.is_empty() && name.is_ascii(), "#{i}: {name:?}");
                    }
                    if location == "path" {
                        assert_eq!(p["required"], true, "#{i}: {method} {path}: {name}");
                        in_path.insert(name);
                    }
                }
                assert_eq!(template, in_path, "#{i}: {method} {path}");
                assert!(
                    op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                    "#{i}: {method} {path} without responses"
                );
            }
        }
    }
}

#[test]
fn the_strategies_reach_what_the_docs_promise() {
    let docs = documents(300);
    let text: String = docs
        .iter()
        .map(|(_, d)| serde_json::to_string(d).unwrap_or_default())
        .collect();
    for needle in [
        "\"allOf\"",
        "\"oneOf\"",
        "\"anyOf\"",
        "\"additionalProperties\":{",
        "\"nullable\":true",
        "\"default\"",
        "\"example\"",
        "\"in\":\"cookie\"",
        "\"in\":\"header\"",
        "\"style\":\"deepObject\"",
        "multipart/form-data",
        "#/components/parameters/",
        "#/components/requestBodies/",
        "#/components/responses/",
        "\"readOnly\":true",
        "\"type\"",
        "\"a_b\"",
        "\"aB\"",
        "\"self\"",
        "\"1a\"",
        "\"\"",
    ] {
        assert!(text.contains(needle), "no document has {needle}");
    }
    // Without an operationId, now and then.
    assert!(docs.iter().any(|(_, d)| {
        d["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(_, item)| item.as_object().into_iter().flatten())
            .any(|(m, op)| m != "parameters" && op.get("operationId").is_none())
    }));
}

#[test]
fn errors_go_to_the_module_that_has_them() {
    let stderr = "\
    Checking specfuzz v0.0.0 (/x)
error[E0428]: the name `Foo` is defined multiple times
   --> src/s00003.rs:10:1
    |
 10 | pub struct Foo;
    |
warning: unused variable: `x`
  --> src/s00001.rs:4:9
error[E0308]: mismatched types
  --> src/s00007.rs:2:5
error[E0428]: the name `Bar` is defined multiple times
   --> src/s00003.rs:30:1
error: could not compile `specfuzz` (lib) due to 3 previous errors
";
    let (by_module, unattributed) = attribute(stderr);
    assert!(unattributed.is_empty(), "{unattributed:?}");
    assert_eq!(
        by_module.keys().map(String::as_str).collect::<Vec<_>>(),
        ["s00003", "s00007"]
    );
    let s3 = &by_module["s00003"];
    assert_eq!(
        s3.classes,
        BTreeSet::from(["E0428: the name `…` is defined multiple times".to_owned()])
    );
    assert!(s3.errors.contains("`Foo`") && s3.errors.contains("`Bar`"));
    assert!(!s3.errors.contains("unused variable"));
    assert_eq!(
        by_module["s00007"].classes,
        BTreeSet::from(["E0308: mismatched types".to_owned()])
    );
}

#[test]
fn classes_take_names_and_numbers_out() {
    assert_eq!(
        anonymize("schema `a_b` and 'A-B' clash at 12 and \"x\""),
        "schema `…` and '…' clash at N and \"…\""
    );
    assert_eq!(
        anonymize("`Vec<u8>` doesn't implement `Display`"),
        "`…` doesn't implement `…`"
    );
}

/// Documents 0..N of seed 7 with every `--with` construct.
fn extended(n: u32) -> Vec<(u32, Value)> {
    (0..n)
        .map(|i| {
            let model = build(7, i);
            let mut doc = render::render(&model, render::Options::default());
            extend::apply(&mut doc, &extend::Construct::ALL, 7, i, &model.vocab);
            (i, doc)
        })
        .collect()
}

/// Every schema object of `value` (a whole document): any object with a
/// schema keyword, which is enough for the checks below.
fn schemas<'a>(value: &'a Value, out: &mut Vec<&'a serde_json::Map<String, Value>>) {
    match value {
        Value::Object(o) => {
            if [
                "type",
                "minimum",
                "minLength",
                "minItems",
                "nullable",
                "oneOf",
                "anyOf",
            ]
            .iter()
            .any(|k| o.contains_key(*k))
            {
                out.push(o);
            }
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "default" | "example" | "examples"))
                .for_each(|(_, v)| schemas(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| schemas(v, out)),
        _ => {}
    }
}

/// The constructs `--with` adds keep a document valid: references
/// resolve, bounds agree, a discriminator's property is a required string
/// of every member, every required scheme is defined, a server variable's
/// default is one of its values, and a 3.1 document uses 3.1's spellings.
#[test]
fn extended_documents_stay_valid() {
    let mut seen = BTreeSet::new();
    for (i, doc) in extended(300) {
        let mut all = Vec::new();
        refs(&doc, &mut all);
        for r in all {
            assert!(resolve(&doc, r).is_some(), "#{i}: {r} does not resolve");
        }
        assert_eq!(doc["openapi"], "3.1.0", "#{i}");
        let mut found = Vec::new();
        schemas(&doc, &mut found);
        for s in found {
            let n = |k: &str| s.get(k).and_then(Value::as_f64);
            for (low, high) in [
                ("minLength", "maxLength"),
                ("minimum", "maximum"),
                ("minItems", "maxItems"),
                ("minProperties", "maxProperties"),
                ("exclusiveMinimum", "maximum"),
            ] {
                if let (Some(l), Some(h)) = (n(low), n(high)) {
                    assert!(l <= h, "#{i}: {low} {l} above {high} {h}");
                }
            }
            assert!(!s.contains_key("nullable"), "#{i}: nullable in 3.1");
            assert!(!s.contains_key("example"), "#{i}: example in a 3.1 schema");
            for bound in ["exclusiveMinimum", "exclusiveMaximum"] {
                assert!(
                    !s.get(bound).is_some_and(Value::is_boolean),
                    "#{i}: {bound}"
                );
            }
            if let Some(d) = s.get("discriminator") {
                seen.insert("discriminator");
                let property = d["propertyName"].as_str().unwrap_or_default();
                let members = ["oneOf", "anyOf"]
                    .iter()
                    .filter_map(|k| s.get(*k).and_then(Value::as_array))
                    .flatten();
                for m in members {
                    let target = m["$ref"].as_str().and_then(|r| resolve(&doc, r));
                    let target = target.unwrap_or_else(|| panic!("#{i}: member {m}"));
                    assert_eq!(target["properties"][property]["type"], "string", "#{i}");
                    assert!(
                        target["required"]
                            .as_array()
                            .is_some_and(|r| r.iter().any(|v| v == property)),
                        "#{i}: {property} not required"
                    );
                }
            }
            for k in ["const", "not", "multipleOf", "uniqueItems"] {
                if s.contains_key(k) {
                    seen.insert(k);
                }
            }
        }
        let schemes = doc["components"]["securitySchemes"].as_object();
        let requirements = doc["security"].as_array().into_iter().flatten().chain(
            doc["paths"]
                .as_object()
                .into_iter()
                .flatten()
                .flat_map(|(_, item)| item.as_object().into_iter().flatten())
                .filter_map(|(_, op)| op.get("security").and_then(Value::as_array))
                .flatten(),
        );
        for requirement in requirements {
            for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
                assert!(
                    schemes.is_some_and(|s| s.contains_key(name)),
                    "#{i}: scheme {name} undefined"
                );
            }
        }
        for server in doc["servers"].as_array().into_iter().flatten() {
            for (name, v) in server["variables"].as_object().into_iter().flatten() {
                assert!(
                    server["url"]
                        .as_str()
                        .unwrap_or_default()
                        .contains(&format!("{{{name}}}"))
                );
                if let Some(values) = v["enum"].as_array() {
                    assert!(values.contains(&v["default"]), "#{i}: {name}");
                }
            }
        }
        let text = serde_json::to_string(&doc).unwrap_or_default();
        for needle in [
            "\"content\":{\"application/json\":{\"schema\"",
            "\"webhooks\"",
            "\"null\"",
        ] {
            if text.contains(needle) {
                seen.insert(needle);
            }
        }
    }
    for construct in [
        "discriminator",
        "const",
        "not",
        "multipleOf",
        "uniqueItems",
        "\"webhooks\"",
        "\"null\"",
    ] {
        assert!(seen.contains(construct), "no document has {construct}");
    }
}

/// Without `--with`, a seed gives the documents it gave before `--with`
/// existed: the extensions draw from an RNG of their own.
#[test]
fn no_construct_leaves_the_document_alone() {
    for i in 0..20 {
        let model = build(7, i);
        let doc = render::render(&model, render::Options::default());
        let mut again = doc.clone();
        extend::apply(&mut again, &[], 7, i, &model.vocab);
        assert_eq!(doc, again);
    }
}
