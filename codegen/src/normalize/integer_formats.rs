//! Part of the `schema_keywords` pass, run at its end (which reads bounds written as
//! doubles as integers): the range an integer `format` implies, written
//! out as bounds.
//!
//! typify maps `format: uint8` to `u8`, `uint16` to `u16`, `int8` to `i8`
//! and so on (the formats schemars writes for Rust's integers, registered
//! by OpenAPI's format registry), but a JSON Schema validator that does not
//! know these formats (ajv in Prism, the `jsonschema` crate) reads
//! `{type: integer, format: uint16, minimum: 0}` as any integer from 0 up:
//! it accepts and generates values the generated type cannot hold, and
//! the client and every other reader of the spec disagree about what is
//! valid. So the range of the format becomes `minimum` and `maximum`
//! where the schema leaves them open or looser; bounds already tighter stay.
//! `uint64`'s maximum is beyond what the typed model holds (`i64`): only
//! its `minimum: 0` is written. `int32`/`int64` are known to validators
//! and left alone.
//!
//! No warning: the bounds say what the format already says.

use serde_json::{Map, Value};

use super::doc::Doc;
use crate::document::schemas::walk_all_schemas;

/// `format` → (minimum, maximum), `None` where the typed model cannot
/// hold the bound.
fn range(format: &str) -> Option<(i64, Option<i64>)> {
    Some(match format {
        "int8" => (i8::MIN.into(), Some(i8::MAX.into())),
        "int16" => (i16::MIN.into(), Some(i16::MAX.into())),
        "uint8" => (0, Some(u8::MAX.into())),
        "uint16" => (0, Some(u16::MAX.into())),
        "uint32" => (0, Some(u32::MAX.into())),
        "uint64" => (0, None),
        _ => return None,
    })
}

pub(crate) fn run(doc: &mut Doc) {
    walk_all_schemas(&mut doc.root, &mut |schema, _| {
        if let Value::Object(map) = schema {
            bound(map);
        }
    });
}

fn bound(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    let Some((min, max)) = map.get("format").and_then(Value::as_str).and_then(range) else {
        return;
    };
    tighten(
        map,
        "minimum",
        "exclusiveMinimum",
        min,
        |written, implied| written < implied,
    );
    if let Some(max) = max {
        tighten(
            map,
            "maximum",
            "exclusiveMaximum",
            max,
            |written, implied| written > implied,
        );
    }
}

/// Sets `key` to `implied` when it is absent, not a number, or `looser`
/// than it; an exclusive flag on a replaced bound goes with it.
fn tighten(
    map: &mut Map<String, Value>,
    key: &str,
    exclusive: &str,
    implied: i64,
    looser: fn(f64, f64) -> bool,
) {
    let replace = match map.get(key).and_then(Value::as_f64) {
        None => true,
        #[allow(clippy::cast_precision_loss)] // the implied bounds fit an f64 exactly
        Some(written) => looser(written, implied as f64),
    };
    if replace {
        map.insert(key.to_owned(), Value::from(implied));
        if map.get(exclusive) == Some(&Value::Bool(true)) {
            map.remove(exclusive);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn bounded(schema: Value) -> Value {
        let mut doc = Doc::new(json!({"components": {"schemas": {"X": schema}}}));
        run(&mut doc);
        assert!(doc.findings.is_empty());
        doc.root["components"]["schemas"]["X"].clone()
    }

    #[test]
    fn the_format_range_is_written_where_open_or_looser() {
        assert_eq!(
            bounded(json!({"type": "integer", "format": "uint16", "minimum": 0})),
            json!({"type": "integer", "format": "uint16", "minimum": 0, "maximum": 65535})
        );
        assert_eq!(
            bounded(
                json!({"type": "integer", "format": "int8", "minimum": -500, "exclusiveMinimum": true, "maximum": 10})
            ),
            json!({"type": "integer", "format": "int8", "minimum": -128, "maximum": 10})
        );
        assert_eq!(
            bounded(json!({"type": "integer", "format": "uint64"})),
            json!({"type": "integer", "format": "uint64", "minimum": 0})
        );
    }

    #[test]
    fn other_formats_and_types_are_left_alone() {
        for schema in [
            json!({"type": "integer", "format": "int32"}),
            json!({"type": "integer"}),
            json!({"type": "string", "format": "uint8"}),
        ] {
            assert_eq!(bounded(schema.clone()), schema);
        }
    }
}
