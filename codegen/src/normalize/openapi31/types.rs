//! `type` as 3.1 writes it — lists, `null` — and boolean schemas, in 3.0's
//! `type`, `nullable` and `oneOf`.

use serde_json::{Map, Value, json};

use super::Findings;

/// Keywords that belong to one JSON type, for splitting `type: [T, U]`.
fn keyword_type(keyword: &str, format: Option<&str>) -> Option<&'static str> {
    Some(match keyword {
        "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            "object"
        }
        "format" => match format {
            Some("int32" | "int64" | "float" | "double") => "number",
            _ => "string",
        },
        _ => return None,
    })
}

pub(super) fn lower_type_list(
    map: &mut Map<String, Value>,
    types: Value,
    ptr: &str,
    findings: &mut Findings,
) {
    let list: Vec<String> = match types {
        Value::String(t) if t == "null" => vec![t],
        Value::String(_) => return,
        Value::Array(items) => items
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        _ => return, // a type error, reported by validation
    };
    let nullable = list.iter().any(|t| t == "null");
    let mut concrete: Vec<String> = list.into_iter().filter(|t| t != "null").collect();
    concrete.dedup();
    // `integer` is a `number`: keep the narrower one.
    if concrete.iter().any(|t| t == "integer") {
        concrete.retain(|t| t != "number");
    }
    match concrete.len() {
        0 => {
            // 3.0 has no null type; `nullable` alone is a schema without a
            // type, which decodes `null` (as any JSON value).
            findings.push((
                false,
                format!("{ptr}/type"),
                "a schema that only allows `null` has no OpenAPI 3.0 spelling; generated as any JSON value".to_owned(),
            ));
            map.remove("type");
        }
        1 => {
            map.insert("type".to_owned(), Value::String(concrete.remove(0)));
        }
        _ => {
            map.remove("type");
            let format = map.get("format").and_then(Value::as_str).map(str::to_owned);
            let mut branches: Vec<Map<String, Value>> = concrete
                .iter()
                .map(|t| {
                    let mut m = Map::new();
                    m.insert("type".to_owned(), Value::String(t.clone()));
                    m
                })
                .collect();
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(owner) = keyword_type(&key, format.as_deref()) else {
                    continue;
                };
                let Some(value) = map.remove(&key) else {
                    continue;
                };
                for (t, branch) in concrete.iter().zip(branches.iter_mut()) {
                    let fits = t == owner || (owner == "number" && t == "integer");
                    if fits {
                        branch.insert(key.clone(), value.clone());
                    }
                }
            }
            map.insert(
                "oneOf".to_owned(),
                Value::Array(branches.into_iter().map(Value::Object).collect()),
            );
        }
    }
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
}

fn is_null_schema(v: &Value) -> bool {
    match v.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => false,
    }
}

/// `oneOf: [A, {type: null}]` → `A` made nullable.
pub(super) fn lower_null_member(map: &mut Map<String, Value>, union: &str) {
    let Some(Value::Array(members)) = map.get_mut(union) else {
        return;
    };
    let before = members.len();
    members.retain(|m| !is_null_schema(m));
    if members.len() == before {
        return;
    }
    map.insert("nullable".to_owned(), Value::Bool(true));
    let Some(Value::Array(members)) = map.get_mut(union) else {
        return;
    };
    match members.len() {
        0 => {
            map.remove(union);
        }
        1 => {
            let only = members.remove(0);
            map.remove(union);
            match only {
                // A reference cannot carry `nullable` in 3.0: wrap it.
                Value::Object(m) if m.contains_key("$ref") => {
                    map.insert("allOf".to_owned(), Value::Array(vec![Value::Object(m)]));
                }
                Value::Object(m) if m.keys().all(|k| !map.contains_key(k)) => {
                    map.extend(m);
                }
                other => {
                    map.insert("allOf".to_owned(), Value::Array(vec![other]));
                }
            }
        }
        _ => {}
    }
}

/// `true` → `{}`; `false` → `{}` with a warning. Whether `schema` was one.
pub(super) fn boolean_schema(schema: &mut Value, ptr: &str, findings: &mut Findings) -> bool {
    match schema {
        Value::Bool(true) => {
            *schema = json!({});
            true
        }
        Value::Bool(false) => {
            // A client never receives a value the server may not send: the
            // closest 3.0 shape that still decodes whatever it meets.
            *schema = json!({});
            findings.push((
                false,
                ptr.to_owned(),
                "a `false` schema (no value allowed) has no OpenAPI 3.0 spelling; generated as any JSON value".to_owned(),
            ));
            true
        }
        _ => false,
    }
}
