//! Parameters of one operation that write the same key: plex's
//! `autocomplete` declares a `type` query parameter (an integer) beside an
//! exploded `form` object, `mediaQuery`, whose property `type` (one of
//! a few integers) writes the query key `type` too. Sent together, the
//! query holds `type` twice and no value fits both. So only one of them is
//! sent: a required one over an optional one, else the one declared first;
//! two required ones are both sent (nobody can leave either out).
//!
//! The server reads a key for every parameter that names it, sent or not
//! (Prism reads an exploded object back from the query keys its
//! properties name), so the key the kept parameter writes gets a value
//! whose text fits the parameter left out as well, when one is found.

use serde_json::{Value, json};

use super::document::resolve;
use super::schema::Validators;
use super::values::{Fill, Synth, type_of};

/// A parameter left out because another writes the same keys.
#[derive(Debug, PartialEq)]
pub(super) struct LeftOut {
    /// Indexes into the operation's parameters.
    pub(super) dropped: usize,
    pub(super) kept: usize,
    /// The keys both write, as the kept one writes them.
    pub(super) keys: Vec<String>,
}

/// Where a parameter goes and the keys it writes there: an exploded `form`
/// object in the query or a cookie writes one key per property, any
/// other parameter its name. Header names are compared without case.
fn keys_written(doc: &Value, p: &Value) -> (String, Vec<String>) {
    let location = p["in"].as_str().unwrap_or_default().to_owned();
    let name = p["name"].as_str().unwrap_or_default();
    let keys = match resolve(doc, &p["schema"])["properties"].as_object() {
        Some(properties) if exploded_object(doc, p) => properties.keys().cloned().collect(),
        _ => vec![name.to_owned()],
    };
    let keys = if location == "header" {
        keys.iter().map(|k| k.to_ascii_lowercase()).collect()
    } else {
        keys
    };
    (location, keys)
}

/// Whether `p` is an object the `form` style writes one key per property
/// of (exploded, the default), in the query or a cookie.
fn exploded_object(doc: &Value, p: &Value) -> bool {
    let style = p["style"].as_str().unwrap_or("form");
    matches!(p["in"].as_str(), Some("query" | "cookie"))
        && style == "form"
        && p["explode"].as_bool().unwrap_or(true)
        && type_of(resolve(doc, &p["schema"])) == "object"
        && resolve(doc, &p["schema"])["properties"].is_object()
}

/// The parameters left out of a call that sends every parameter, each for
/// every one sent that shares keys with it.
pub(super) fn left_out(doc: &Value, parameters: &[&Value]) -> Vec<LeftOut> {
    let written: Vec<(String, Vec<String>)> =
        parameters.iter().map(|p| keys_written(doc, p)).collect();
    let required = |i: usize| parameters[i]["required"].as_bool() == Some(true);
    let mut out: Vec<LeftOut> = Vec::new();
    for i in 0..parameters.len() {
        for j in i + 1..parameters.len() {
            let gone = |k: usize| out.iter().any(|l| l.dropped == k);
            if (gone(i) && gone(j)) || written[i].0 != written[j].0 || written[i].0 == "path" {
                continue;
            }
            let keys: Vec<String> = written[i]
                .1
                .iter()
                .filter(|k| written[j].1.contains(k))
                .cloned()
                .collect();
            if keys.is_empty() {
                continue;
            }
            // One left out already (for another) is left out for this one
            // too.
            let (kept, dropped) = match (gone(i), gone(j), required(i), required(j)) {
                (true, ..) => (j, i),
                (_, true, ..) => (i, j),
                (_, _, true, true) => continue,
                (_, _, false, true) => (j, i),
                _ => (i, j),
            };
            out.push(LeftOut {
                dropped,
                kept,
                keys,
            });
        }
    }
    out
}

/// What the case label says of the parameters left out.
pub(super) fn said(parameters: &[&Value], left: &[LeftOut]) -> String {
    let name = |i: usize| format!("`{}`", parameters[i]["name"].as_str().unwrap_or_default());
    let mut dropped: Vec<usize> = Vec::new();
    for l in left {
        if !dropped.contains(&l.dropped) {
            dropped.push(l.dropped);
        }
    }
    let parts: Vec<String> = dropped
        .iter()
        .map(|d| {
            let with: Vec<&LeftOut> = left.iter().filter(|l| l.dropped == *d).collect();
            let kept: Vec<String> = with.iter().map(|l| name(l.kept)).collect();
            let keys: Vec<String> = with
                .iter()
                .flat_map(|l| l.keys.iter().map(|k| format!("`{k}`")))
                .collect();
            format!(
                "{} left out: {} write{} the same {} key{} {}",
                name(*d),
                kept.join(", "),
                if kept.len() == 1 { "s" } else { "" },
                parameters[*d]["in"].as_str().unwrap_or_default(),
                if keys.len() == 1 { "" } else { "s" },
                keys.join(", ")
            )
        })
        .collect();
    parts.join("; ")
}

/// The schema a parameter gives the value it writes under `key`.
fn schema_at<'a>(doc: &'a Value, p: &'a Value, key: &str) -> Option<&'a Value> {
    let schema = resolve(doc, &p["schema"]);
    if exploded_object(doc, p) {
        schema["properties"].get(key).map(|s| resolve(doc, s))
    } else {
        Some(schema)
    }
}

/// Whether the text `value` is written as (a string as it is, anything
/// else as JSON) is a value `schema` takes, read as text or as JSON.
fn text_fits(schema: &Value, value: &Value, validators: &mut Validators) -> bool {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    validators.accepts(schema, &json!(text))
        || serde_json::from_str::<Value>(&text).is_ok_and(|v| validators.accepts(schema, &v))
}

/// Draws of a value that fits both parameters.
const TRIES: usize = 16;

/// Gives the kept parameter's value (`kept`, the argument set for it), at
/// each shared key, a value whose text the left-out parameter takes too:
/// drawn for the left-out one's schema there, in the form the kept one's
/// schema takes. A key no draw fits both is left as it was.
pub(super) fn fit_shared_keys(
    doc: &Value,
    parameters: &[&Value],
    left: &LeftOut,
    kept: &mut Value,
    synth: &mut Synth<'_>,
    validators: &mut Validators,
) {
    let (keeper, dropped) = (parameters[left.kept], parameters[left.dropped]);
    let whole = !exploded_object(doc, keeper);
    for key in &left.keys {
        // Header names were compared lowercased: a header's schema is
        // its own, whatever the key.
        let (Some(kept_schema), Some(other_schema)) =
            (schema_at(doc, keeper, key), schema_at(doc, dropped, key))
        else {
            continue;
        };
        let slot = if whole {
            Some(&mut *kept)
        } else {
            kept.get_mut(key.as_str())
        };
        let Some(slot) = slot else {
            continue;
        };
        if text_fits(other_schema, slot, validators) {
            continue;
        }
        for _ in 0..TRIES {
            let drawn = synth.spec_or_synth(other_schema, &[], Fill::Required, validators);
            let text = match &drawn {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let as_kept = [
                drawn.clone(),
                json!(text),
                serde_json::from_str(&text).unwrap_or(Value::Null),
            ]
            .into_iter()
            .find(|v| validators.accepts(kept_schema, v));
            if let Some(v) = as_kept {
                *slot = v;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, location: &str, required: bool, schema: Value) -> Value {
        json!({"name": name, "in": location, "required": required, "schema": schema})
    }

    #[test]
    fn finds_the_parameters_that_write_one_key() {
        let doc = json!({});
        let media = json!({"type": "object", "properties": {"type": {"type": "integer"},
            "sort": {"type": "string"}}});
        let ps = [
            param("type", "query", false, json!({"type": "integer"})),
            param("sort", "query", false, json!({"type": "integer"})),
            param("mediaQuery", "query", false, media.clone()),
            // Not exploded: one key, its name.
            json!({"name": "filter", "in": "query", "explode": false, "schema": media}),
            param("X-Token", "header", false, json!({"type": "string"})),
            param("x-token", "header", true, json!({"type": "string"})),
            // A cookie and a query key of one name do not meet.
            param("sort", "cookie", false, json!({"type": "string"})),
        ];
        let refs: Vec<&Value> = ps.iter().collect();
        let left = left_out(&doc, &refs);
        assert_eq!(
            left,
            [
                LeftOut {
                    dropped: 2,
                    kept: 0,
                    keys: vec!["type".to_owned()]
                },
                LeftOut {
                    dropped: 2,
                    kept: 1,
                    keys: vec!["sort".to_owned()]
                },
                LeftOut {
                    dropped: 4,
                    kept: 5,
                    keys: vec!["x-token".to_owned()]
                },
            ]
        );
        assert_eq!(
            said(&refs, &left),
            "`mediaQuery` left out: `type`, `sort` write the same query keys `type`, `sort`; `X-Token` left out: `x-token` writes the same header key `x-token`"
        );
        // Two required ones both go.
        let both = [
            param("a", "query", true, json!({"type": "string"})),
            param("a", "query", true, json!({"type": "integer"})),
        ];
        assert!(left_out(&doc, &both.iter().collect::<Vec<_>>()).is_empty());
    }

    /// The value the kept `type` writes is one the left-out `mediaQuery`
    /// reads back as its `type` too (Prism reads every parameter's keys).
    #[test]
    fn the_shared_key_gets_a_value_both_take() {
        let doc = json!({});
        let ps = [
            param("type", "query", false, json!({"type": "integer"})),
            param(
                "mediaQuery",
                "query",
                false,
                json!({"type": "object", "properties": {"type": {"type": "integer", "enum": [1, 2, 4]}}}),
            ),
        ];
        let refs: Vec<&Value> = ps.iter().collect();
        let left = left_out(&doc, &refs);
        assert_eq!(left.len(), 1);
        let mut validators = Validators::new(&doc);
        let mut synth = Synth::new(&doc, 1, "t", true);
        let mut kept = json!(77_777);
        fit_shared_keys(
            &doc,
            &refs,
            &left[0],
            &mut kept,
            &mut synth,
            &mut validators,
        );
        assert!([json!(1), json!(2), json!(4)].contains(&kept), "{kept}");
        // Kept the other way round: the object's property is fitted.
        let swapped = LeftOut {
            dropped: 0,
            kept: 1,
            keys: vec!["type".to_owned()],
        };
        let mut object = json!({"type": 2});
        fit_shared_keys(
            &doc,
            &refs,
            &swapped,
            &mut object,
            &mut synth,
            &mut validators,
        );
        assert_eq!(object, json!({"type": 2}));
    }
}
