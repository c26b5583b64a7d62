//! Schemas compared by structure, in the direction they travel.
//!
//! Schemas are compared as the JSON the typed model serializes back to:
//! that is uniform across openapiv3's many schema variants (including the
//! catch-all `AnySchema`) and drops what the typed model normalizes away.
//! `$ref`s are followed on both sides, so only the referenced structure
//! matters, never a component's name. A pair of components is walked once
//! per direction, which also ends recursion in cyclic schemas.
use std::collections::HashSet;

use serde_json::Value;

use super::change::Kind;
use super::components::{Components, EMPTY, Node, Site, node, object, shape, show, type_label};
use super::findings::{Dir, Findings, Verdict, by_dir};

const REQ_TIGHT: (Verdict, Verdict) = (
    (true, "values the old spec allowed are now rejected"),
    (false, "responses stay within the old bounds"),
);
const REQ_LOOSE: (Verdict, Verdict) = (
    (false, "the server accepts more than before"),
    (
        true,
        "values outside the old bounds may arrive, and constrained generated types reject them",
    ),
);

/// Compares the schemas of both specs.
pub(super) struct Walker<'a> {
    old: &'a Components,
    new: &'a Components,
    visited: HashSet<(String, String, Dir)>,
    pub findings: Findings,
}

impl<'a> Walker<'a> {
    pub(super) fn new(old: &'a Components, new: &'a Components) -> Self {
        Walker {
            old,
            new,
            visited: HashSet::new(),
            findings: Findings::default(),
        }
    }

    fn push(&mut self, kind: Kind, pointer: &str, what: String, dir: Dir, v: Verdict) {
        self.findings.push(kind, pointer, what, Some(dir), v);
    }

    /// Compares two schemas (JSON of `ReferenceOr<Schema>`) found at `site`.
    pub(super) fn walk(&mut self, old: &Value, new: &Value, site: &Site, dir: Dir) {
        self.walk_at(old, new, site, dir, 0);
    }

    fn walk_at(&mut self, old: &Value, new: &Value, site: &Site, dir: Dir, depth: usize) {
        // Inline nesting this deep is not a real API; stop rather than
        // overflow the stack.
        if depth > 96 {
            return;
        }
        let (oc, nc) = (self.old, self.new);
        let o = node(oc, old, &site.old);
        let n = node(nc, new, &site.new);
        if let (Some(on), Some(nn)) = (o.component, n.component)
            && !self.visited.insert((on.to_owned(), nn.to_owned(), dir))
        {
            return;
        }
        let label = n
            .component
            .or(o.component)
            .map(str::to_owned)
            .unwrap_or_else(|| site.label.clone());
        let site = Site {
            old: o.pointer.clone(),
            new: n.pointer.clone(),
            label,
        };
        let l = &site.label;

        match (o.nullable, n.nullable) {
            (false, true) => self.push(
                Kind::BecameNullable,
                &site.new,
                format!("`{l}` became nullable"),
                dir,
                by_dir(
                    dir,
                    (false, "clients may now send null"),
                    (true, "clients that assumed a value may get null"),
                ),
            ),
            (true, false) => self.push(
                Kind::BecameNonNullable,
                &site.new,
                format!("`{l}` is no longer nullable"),
                dir,
                by_dir(
                    dir,
                    (true, "clients built from the old spec may send null"),
                    (false, "null no longer arrives"),
                ),
            ),
            _ => {}
        }

        let (os, ns) = (shape(oc, &o), shape(nc, &n));
        if os != ns {
            self.push(
                Kind::TypeChanged,
                &site.new,
                format!(
                    "type of `{l}` changed from {} to {}",
                    type_label(os, o.value),
                    type_label(ns, n.value)
                ),
                dir,
                (true, "values of the old type no longer fit"),
            );
            return;
        }

        if o.value.get("default") != n.value.get("default") {
            let show_default = |v: Option<&Value>| v.map_or("none".to_owned(), |v| v.to_string());
            self.push(
                Kind::DefaultChanged,
                &site.new,
                format!(
                    "default of `{l}` changed from {} to {}",
                    show_default(o.value.get("default")),
                    show_default(n.value.get("default"))
                ),
                dir,
                (
                    false,
                    "the value used when it is omitted changes; the types do not",
                ),
            );
        }
        if matches!(os, "string" | "integer" | "number") {
            self.format(&o, &n, &site, dir);
        }
        self.enumeration(&o, &n, &site, dir);
        self.constraints(&o, &n, &site, dir);

        match os {
            "object" => self.object(&o, &n, &site, dir, depth),
            "array" => {
                let child = site.child(&["items"], format!("{l}[]"));
                let oi = o.value.get("items").unwrap_or(&EMPTY);
                let ni = n.value.get("items").unwrap_or(&EMPTY);
                self.walk_at(oi, ni, &child, dir, depth + 1);
            }
            "oneOf" | "anyOf" | "allOf" => self.alternatives(os, &o, &n, &site, dir, depth),
            "not" => {
                let (on, nn) = (o.value.get("not"), n.value.get("not"));
                let child = site.child(&["not"], format!("{l}(not)"));
                self.walk_at(
                    on.unwrap_or(&EMPTY),
                    nn.unwrap_or(&EMPTY),
                    &child,
                    dir,
                    depth + 1,
                );
            }
            _ => {}
        }
    }

    fn format(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir) {
        let of = o.value.get("format").and_then(Value::as_str);
        let nf = n.value.get("format").and_then(Value::as_str);
        if of == nf {
            return;
        }
        let l = &site.label;
        let verdict = by_dir(
            dir,
            match nf {
                None => (false, "the server accepts any value of the type"),
                Some(_) => (true, "values the old format allowed may be rejected"),
            },
            (
                true,
                "clients decode by the old format (e.g. into a Uuid) and may fail",
            ),
        );
        self.push(
            Kind::FormatChanged,
            &site.new,
            format!(
                "format of `{l}` changed from {} to {}",
                of.unwrap_or("none"),
                nf.unwrap_or("none")
            ),
            dir,
            verdict,
        );
    }

    fn enumeration(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir) {
        let values = |node: &Node| {
            node.value
                .get("enum")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .cloned()
        };
        let l = &site.label;
        match (values(o), values(n)) {
            (None, None) => {}
            (None, Some(_)) => self.push(
                Kind::ConstraintChanged,
                &site.new,
                format!("`{l}` is now restricted to an enum"),
                dir,
                by_dir(dir, REQ_TIGHT.0, REQ_TIGHT.1),
            ),
            (Some(_), None) => self.push(
                Kind::ConstraintChanged,
                &site.new,
                format!("`{l}` is no longer an enum"),
                dir,
                by_dir(dir, REQ_LOOSE.0, REQ_LOOSE.1),
            ),
            (Some(old), Some(new)) => {
                for v in old.iter().filter(|v| !new.contains(v)) {
                    self.push(
                        Kind::EnumValueRemoved,
                        &format!("{}/enum", site.old),
                        format!("enum value `{}` removed from `{l}`", show(v)),
                        dir,
                        by_dir(
                            dir,
                            (true, "clients built from the old spec may still send it"),
                            (
                                true,
                                "the generated enum loses the variant that code matches on",
                            ),
                        ),
                    );
                }
                let old_client_decodes_it = self.old.decodes_unknown_values(o, &old);
                for v in new.iter().filter(|v| !old.contains(v)) {
                    let response = if old_client_decodes_it {
                        (
                            false,
                            "old clients decode it into the enum's `Unknown` variant",
                        )
                    } else {
                        (
                            true,
                            "old clients cannot decode it: this enum is generated closed (no `Unknown` variant)",
                        )
                    };
                    self.push(
                        Kind::EnumValueAdded,
                        &format!("{}/enum", site.new),
                        format!("enum value `{}` added to `{l}`", show(v)),
                        dir,
                        by_dir(dir, (false, "the server accepts one more value"), response),
                    );
                }
            }
        }
    }

    fn constraints(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir) {
        let num = |node: &Node, k: &str| node.value.get(k).and_then(Value::as_f64);
        let flag = |node: &Node, k: &str| node.value.get(k) == Some(&Value::Bool(true));
        let l = site.label.clone();
        let report = |this: &mut Self, what: String, tightened: Option<bool>| {
            let verdict = match tightened {
                Some(true) => by_dir(dir, REQ_TIGHT.0, REQ_TIGHT.1),
                Some(false) => by_dir(dir, REQ_LOOSE.0, REQ_LOOSE.1),
                None => (true, "the set of valid values changed both ways"),
            };
            this.push(Kind::ConstraintChanged, &site.new, what, dir, verdict);
        };
        let fmt = |v: Option<f64>| v.map_or("none".to_owned(), |v| v.to_string());
        for (key, higher_is_tighter) in [
            ("minLength", true),
            ("minItems", true),
            ("minProperties", true),
            ("minimum", true),
            ("maxLength", false),
            ("maxItems", false),
            ("maxProperties", false),
            ("maximum", false),
        ] {
            let (a, b) = (num(o, key), num(n, key));
            let tightened = match (a, b) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b > a) == higher_is_tighter,
            };
            report(
                self,
                format!("`{l}`: {key} {} → {}", fmt(a), fmt(b)),
                Some(tightened),
            );
        }
        for key in ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"] {
            let (a, b) = (flag(o, key), flag(n, key));
            if a != b {
                report(self, format!("`{l}`: {key} {a} → {b}"), Some(b));
            }
        }
        for key in ["pattern", "multipleOf"] {
            let (a, b) = (o.value.get(key), n.value.get(key));
            let tightened = match (a, b) {
                (a, b) if a == b => continue,
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                _ => None,
            };
            let s = |v: Option<&Value>| v.map_or("none".to_owned(), show);
            report(self, format!("`{l}`: {key} {} → {}", s(a), s(b)), tightened);
        }
    }

    fn object(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir, depth: usize) {
        let (Some(ov), Some(nv)) = (object(self.old, o), object(self.new, n)) else {
            return;
        };
        let l = &site.label;
        for (name, (_, pointer)) in &ov.properties {
            if !nv.properties.contains_key(name) {
                self.push(
                    Kind::PropertyRemoved,
                    pointer,
                    format!("property `{l}.{name}` removed"),
                    dir,
                    by_dir(
                        dir,
                        (true, "the server no longer reads what clients send"),
                        (true, "clients that read it get nothing"),
                    ),
                );
            }
        }
        for (name, (_, pointer)) in &nv.properties {
            if ov.properties.contains_key(name) {
                continue;
            }
            let required = nv.required.contains(name);
            let verdict = by_dir(
                dir,
                if required {
                    (true, "clients built from the old spec do not send it")
                } else {
                    (false, "clients may leave it out")
                },
                if ov.closed {
                    (
                        true,
                        "the object was closed (additionalProperties: false): old clients reject it",
                    )
                } else {
                    (false, "old clients ignore it")
                },
            );
            let what = if required {
                format!("required property `{l}.{name}` added")
            } else {
                format!("property `{l}.{name}` added")
            };
            self.push(Kind::PropertyAdded, pointer, what, dir, verdict);
        }
        for (name, (os, op)) in &ov.properties {
            let Some((ns, np)) = nv.properties.get(name) else {
                continue;
            };
            let (was, is) = (ov.required.contains(name), nv.required.contains(name));
            if !was && is {
                self.push(
                    Kind::PropertyBecameRequired,
                    np,
                    format!("property `{l}.{name}` became required"),
                    dir,
                    by_dir(
                        dir,
                        (true, "clients built from the old spec may leave it out"),
                        (false, "it is now always present"),
                    ),
                );
            } else if was && !is {
                self.push(
                    Kind::PropertyBecameOptional,
                    np,
                    format!("property `{l}.{name}` became optional"),
                    dir,
                    by_dir(
                        dir,
                        (false, "clients may leave it out"),
                        (
                            true,
                            "old clients require it and fail to decode a response without it",
                        ),
                    ),
                );
            }
            let child = Site {
                old: op.clone(),
                new: np.clone(),
                label: format!("{l}.{name}"),
            };
            self.walk_at(os, ns, &child, dir, depth + 1);
        }
        match (ov.closed, nv.closed) {
            (false, true) => self.push(
                Kind::AdditionalPropertiesChanged,
                &site.new,
                format!("`{l}` no longer accepts unknown properties"),
                dir,
                by_dir(
                    dir,
                    (true, "the server may reject what clients send"),
                    (false, "responses carry fewer properties"),
                ),
            ),
            (true, false) => self.push(
                Kind::AdditionalPropertiesChanged,
                &site.new,
                format!("`{l}` now accepts unknown properties"),
                dir,
                by_dir(
                    dir,
                    (false, "the server accepts more"),
                    (true, "old clients reject unknown properties"),
                ),
            ),
            _ => {}
        }
        match (&ov.additional, &nv.additional) {
            (Some((oa, op)), Some((na, np))) => {
                let child = Site {
                    old: op.clone(),
                    new: np.clone(),
                    label: format!("{l}[*]"),
                };
                self.walk_at(oa, na, &child, dir, depth + 1);
            }
            (None, Some(_)) | (Some(_), None) => self.push(
                Kind::AdditionalPropertiesChanged,
                &site.new,
                format!("`{l}` changed between a map and a record"),
                dir,
                (true, "the values it holds are read differently"),
            ),
            (None, None) => {}
        }
    }

    fn alternatives(
        &mut self,
        keyword: &str,
        o: &Node,
        n: &Node,
        site: &Site,
        dir: Dir,
        depth: usize,
    ) {
        let list = |node: &Node| {
            node.value
                .get(keyword)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (old, new) = (list(o), list(n));
        let l = &site.label;
        // Alternatives are matched by position: their order is how
        // progenitor names the variants of the generated enum.
        for (i, (a, b)) in old.iter().zip(&new).enumerate() {
            let child = site.child(&[keyword, &i.to_string()], format!("{l}.{keyword}[{i}]"));
            self.walk_at(a, b, &child, dir, depth + 1);
        }
        let all_of = keyword == "allOf";
        for i in new.len()..old.len() {
            let verdict = if all_of {
                (true, "the combined schema changed")
            } else {
                by_dir(
                    dir,
                    (true, "clients built from the old spec may still send it"),
                    (false, "responses take fewer shapes"),
                )
            };
            self.push(
                if all_of {
                    Kind::SchemaChanged
                } else {
                    Kind::AlternativeRemoved
                },
                &format!("{}/{keyword}/{i}", site.old),
                format!("`{l}`: {keyword} member {i} removed"),
                dir,
                verdict,
            );
        }
        for i in old.len()..new.len() {
            let verdict = if all_of {
                (true, "the combined schema changed")
            } else {
                by_dir(
                    dir,
                    (false, "the server accepts one more shape"),
                    (true, "old clients cannot decode the new shape"),
                )
            };
            self.push(
                if all_of {
                    Kind::SchemaChanged
                } else {
                    Kind::AlternativeAdded
                },
                &format!("{}/{keyword}/{i}", site.new),
                format!("`{l}`: {keyword} member {i} added"),
                dir,
                verdict,
            );
        }
    }
}
