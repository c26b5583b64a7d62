//! Parameters of an operation: added, removed, renamed, required or not,
//! and their schemas.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent};

use super::context::{Cx, Op, resolve, variables};
use crate::diff::change::Kind;
use crate::diff::components::{Site, to_json};
use crate::diff::findings::Dir;
use crate::document::pointer::pointer;

/// A parameter with what identifies it across versions.
struct Param<'a> {
    param: &'a Parameter,
    pointer: String,
}

impl<'a> Cx<'a> {
    /// Operation parameters override path-item ones of the same location
    /// and name. Path parameters are keyed by their position in the
    /// template, so that renaming a variable is seen as a rename.
    fn params<'b>(api: &'b OpenAPI, op: &Op<'b>) -> BTreeMap<(String, String), Param<'b>> {
        let map = api.components.as_ref().map(|c| &c.parameters);
        let item_ptr = pointer(["paths", op.path]);
        let vars = variables(op.path);
        let mut out = BTreeMap::new();
        let sources = op
            .item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, r)| (r, format!("{item_ptr}/parameters/{i}")))
            .chain(
                op.op
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r, format!("{}/parameters/{i}", op.pointer))),
            );
        for (r, at) in sources {
            let Some((param, at)) = resolve(r, at, "parameters", map) else {
                continue;
            };
            let data = param.parameter_data_ref();
            let key = match param {
                Parameter::Path { .. } => {
                    let pos = vars.iter().position(|v| *v == data.name);
                    ("path".to_owned(), format!("#{}", pos.unwrap_or(usize::MAX)))
                }
                Parameter::Query { .. } => ("query".to_owned(), data.name.clone()),
                Parameter::Header { .. } => ("header".to_owned(), data.name.to_lowercase()),
                Parameter::Cookie { .. } => ("cookie".to_owned(), data.name.clone()),
            };
            out.insert(key, Param { param, pointer: at });
        }
        out
    }

    pub(super) fn parameters(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let old = Self::params(self.old, o);
        let new = Self::params(self.new, n);
        let op_label = n.label();
        for (key, p) in &old {
            if !new.contains_key(key) {
                let location = &key.0;
                let name = &p.param.parameter_data_ref().name;
                self.findings.push(
                    Kind::ParameterRemoved,
                    &p.pointer,
                    format!("{location} parameter `{name}` of `{op_label}` removed"),
                    None,
                    (
                        true,
                        "clients built from the old spec still send it and it is no longer understood",
                    ),
                );
            }
        }
        for (key, p) in &new {
            let data = p.param.parameter_data_ref();
            let Some(before) = old.get(key) else {
                let (location, name) = (&key.0, &data.name);
                let verdict = if data.required {
                    (true, "clients built from the old spec do not send it")
                } else {
                    (false, "clients may leave it out")
                };
                let required = if data.required { "required " } else { "" };
                self.findings.push(
                    Kind::ParameterAdded,
                    &p.pointer,
                    format!("{required}{location} parameter `{name}` added to `{op_label}`"),
                    None,
                    verdict,
                );
                continue;
            };
            let was = before.param.parameter_data_ref();
            let label = format!("{op_label}({})", data.name);
            if was.name != data.name {
                self.findings.push(
                    Kind::PathParameterRenamed,
                    &p.pointer,
                    format!(
                        "path parameter `{}` of `{op_label}` renamed to `{}`",
                        was.name, data.name
                    ),
                    None,
                    (
                        false,
                        "the wire is unchanged; the builder method is renamed (see the rust changes)",
                    ),
                );
            }
            if !was.required && data.required {
                self.findings.push(
                    Kind::ParameterBecameRequired,
                    &p.pointer,
                    format!("parameter `{label}` became required"),
                    None,
                    (true, "clients built from the old spec may leave it out"),
                );
            } else if was.required && !data.required {
                self.findings.push(
                    Kind::ParameterBecameOptional,
                    &p.pointer,
                    format!("parameter `{label}` became optional"),
                    None,
                    (false, "clients may leave it out"),
                );
            }
            if let (ParameterSchemaOrContent::Schema(a), ParameterSchemaOrContent::Schema(b)) =
                (&was.format, &data.format)
            {
                let site = Site {
                    old: format!("{}/schema", before.pointer),
                    new: format!("{}/schema", p.pointer),
                    label,
                };
                self.walker
                    .walk(&to_json(a), &to_json(b), &site, Dir::Request);
            }
        }
    }
}
