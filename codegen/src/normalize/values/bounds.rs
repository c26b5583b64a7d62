//! `enum` values that the schema's numeric bounds exclude.
//!
//! typify chooses the Rust type of an integer from its bounds (`minimum: 1`
//! is a `NonZeroU64`, `minimum: 0` a `u64`) and writes the `enum` values as
//! literals of that type, so `{type: integer, minimum: 1, enum: [-1, 1]}`
//! makes code that does not compile (`NonZeroU64::new(-1)`). The same when
//! the bounds come from another member of an `allOf` (typify merges them
//! first). No value outside the bounds can be on the wire, so such values
//! are left out, each with a warning; when none is left, the `enum` goes and
//! the bounds stay (as the type pass does with an `enum` of another type).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::document::refs::resolve;
use crate::document::schemas::visit_all_schemas;
use crate::normalize::doc::Doc;

/// A lower or upper bound: the number, and whether it is exclusive.
type Bound = (f64, bool);

#[derive(Clone, Copy, Default)]
struct Bounds {
    lower: Option<Bound>,
    upper: Option<Bound>,
}

impl Bounds {
    /// The bounds `schema` writes itself (3.0's boolean `exclusiveMinimum`,
    /// and 3.1's number in case one is left).
    fn of(schema: &Value) -> Bounds {
        let side = |bound: &str, exclusive: &str| -> Option<Bound> {
            match (
                schema.get(bound).and_then(Value::as_f64),
                schema.get(exclusive),
            ) {
                (_, Some(Value::Number(n))) => n.as_f64().map(|n| (n, true)),
                (Some(b), Some(Value::Bool(true))) => Some((b, true)),
                (Some(b), _) => Some((b, false)),
                (None, _) => None,
            }
        };
        Bounds {
            lower: side("minimum", "exclusiveMinimum"),
            upper: side("maximum", "exclusiveMaximum"),
        }
    }

    /// Both bounds at once: the tighter of each side.
    fn and(self, other: Bounds) -> Bounds {
        let tighter = |a: Option<Bound>, b: Option<Bound>, lower: bool| match (a, b) {
            (Some(x), Some(y)) => {
                let x_wins = if x.0 == y.0 {
                    x.1
                } else if lower {
                    x.0 > y.0
                } else {
                    x.0 < y.0
                };
                Some(if x_wins { x } else { y })
            }
            (x, y) => x.or(y),
        };
        Bounds {
            lower: tighter(self.lower, other.lower, true),
            upper: tighter(self.upper, other.upper, false),
        }
    }

    fn is_empty(&self) -> bool {
        self.lower.is_none() && self.upper.is_none()
    }

    /// Why `value` is outside, if it is.
    fn excludes(&self, value: f64) -> Option<String> {
        if let Some((min, exclusive)) = self.lower
            && (value < min || (exclusive && value == min))
        {
            let rule = if exclusive {
                "exclusiveMinimum"
            } else {
                "minimum"
            };
            return Some(format!("below `{rule}: {}`", shown(min)));
        }
        if let Some((max, exclusive)) = self.upper
            && (value > max || (exclusive && value == max))
        {
            let rule = if exclusive {
                "exclusiveMaximum"
            } else {
                "maximum"
            };
            return Some(format!("above `{rule}: {}`", shown(max)));
        }
        None
    }
}

/// A bound as a spec writes it (`1`, not `1.0`).
fn shown(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

pub(super) fn run(doc: &mut Doc) {
    // Pointer of a schema with an `enum` → the bounds that apply to it.
    let mut applying: BTreeMap<String, Bounds> = BTreeMap::new();
    let root = &doc.root;
    let mut add = |ptr: String, bounds: Bounds| {
        let entry = applying.entry(ptr).or_default();
        *entry = entry.and(bounds);
    };
    visit_all_schemas(root, &mut |schema, ptr| {
        let own = Bounds::of(schema);
        if schema.get("enum").is_some() && !own.is_empty() {
            add(ptr.to_owned(), own);
        }
        // The members of an `allOf` are one value: each member's bounds
        // apply to the others' values. A referenced member is left as it
        // is (the component serves other places).
        let Some(Value::Array(members)) = schema.get("allOf") else {
            return;
        };
        let all = members
            .iter()
            .filter_map(|m| resolve(root, m).map(|(s, _)| Bounds::of(s)))
            .fold(own, Bounds::and);
        if all.is_empty() {
            return;
        }
        if schema.get("enum").is_some() {
            add(ptr.to_owned(), all);
        }
        for (i, m) in members.iter().enumerate() {
            if m.get("$ref").is_none() && m.get("enum").is_some() {
                add(format!("{ptr}/allOf/{i}"), all);
            }
        }
    });
    for (ptr, bounds) in applying {
        let Some(Value::Array(values)) = doc.root.pointer(&format!("{ptr}/enum")) else {
            continue;
        };
        let outside: BTreeSet<usize> = values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.as_f64().is_some_and(|n| bounds.excludes(n).is_some()))
            .map(|(i, _)| i)
            .collect();
        if outside.is_empty() {
            continue;
        }
        let numbers = values.iter().filter(|v| v.is_number()).count();
        let messages: Vec<(String, String)> = outside
            .iter()
            .map(|&i| {
                let why = values[i]
                    .as_f64()
                    .and_then(|n| bounds.excludes(n))
                    .unwrap_or_default();
                (
                    format!("{ptr}/enum/{i}"),
                    format!(
                        "`enum` value {} is {why}; no value can be it, it is left out",
                        values[i]
                    ),
                )
            })
            .collect();
        let all_out = outside.len() == numbers;
        if let Some(Value::Object(schema)) = doc.root.pointer_mut(&ptr) {
            if all_out {
                schema.remove("enum");
            } else if let Some(Value::Array(values)) = schema.get_mut("enum") {
                for i in outside.iter().rev() {
                    values.remove(*i);
                }
            }
        }
        if all_out {
            doc.warn(
                &format!("{ptr}/enum"),
                "no value of `enum` is within the schema's bounds; the `enum` is left out and the bounds kept".to_owned(),
                Some("make the bounds and the `enum` agree"),
            );
        } else {
            for (at, message) in messages {
                doc.warn(&at, message, Some("make the bounds and the `enum` agree"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run_on(schemas: Value) -> Doc {
        let mut doc =
            Doc::new(json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}}));
        run(&mut doc);
        doc
    }

    #[test]
    fn values_the_bounds_exclude_are_left_out() {
        let doc = run_on(json!({
            "Own": {"type": "integer", "minimum": 1, "enum": [-1, 1, 2, null]},
            "Exclusive": {"type": "number", "maximum": 5, "exclusiveMaximum": true, "enum": [4.5, 5]},
            "Member": {"allOf": [
                {"type": "integer", "minimum": 1, "nullable": true},
                {"type": "integer", "enum": [1, -1, 2]},
            ]},
            "None": {"type": "integer", "minimum": 10, "enum": [1, 2]},
            "Ref": {"allOf": [{"$ref": "#/components/schemas/None"}, {"maximum": 0}]},
        }));
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(schemas["Own"]["enum"], json!([1, 2, null]));
        assert_eq!(schemas["Exclusive"]["enum"], json!([4.5]));
        assert_eq!(schemas["Member"]["allOf"][1]["enum"], json!([1, 2]));
        assert_eq!(schemas["None"], json!({"type": "integer", "minimum": 10}));
        // A referenced member is the component's: left as it is here.
        assert_eq!(schemas["Ref"]["allOf"][1], json!({"maximum": 0}));
        let warned: Vec<String> = doc
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.pointer, f.message))
            .collect();
        assert!(
            warned.contains(&"/components/schemas/Own/enum/0: `enum` value -1 is below `minimum: 1`; no value can be it, it is left out".to_owned()),
            "{warned:#?}"
        );
        assert!(warned.iter().any(|w| w.starts_with("/components/schemas/Exclusive/enum/1: `enum` value 5 is above `exclusiveMaximum: 5`")), "{warned:#?}");
    }
}
