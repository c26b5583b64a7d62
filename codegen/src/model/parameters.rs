//! Parameters: resolved, converted one by one, matched against the path
//! template, and limited to what progenitor supports.

use std::collections::BTreeMap;

use openapiv3::{Components, Parameter, ReferenceOr};
use serde_json::Value;

use super::lenient::{lenient, names_unconverted, resolve};
use crate::problems::Problems;

/// A parameter as the checks see it.
pub(super) enum Param {
    Typed(Box<Parameter>),
    /// One that does not convert (its type error is reported): its name and
    /// location, so that the path template checks still count it.
    Raw {
        name: String,
        location: String,
    },
}

impl Param {
    fn name(&self) -> &str {
        match self {
            Param::Typed(param) => &param.parameter_data_ref().name,
            Param::Raw { name, .. } => name,
        }
    }

    fn in_path(&self) -> bool {
        match self {
            Param::Typed(param) => matches!(**param, Parameter::Path { .. }),
            Param::Raw { location, .. } => location == "path",
        }
    }
}

/// The parameters listed at `at/parameters`, each resolved and converted
/// on its own, with their pointers.
pub(super) fn parameters(
    p: &mut Problems,
    root: &Value,
    components: &Components,
    list: Option<&Value>,
    at: &str,
) -> Vec<(Param, String)> {
    let Some(Value::Array(list)) = list else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let ptr = format!("{at}/parameters/{i}");
        let typed = lenient::<ReferenceOr<Parameter>>(v)
            .map(|r| resolve(&r, |c| &c.parameters, Some(components)).cloned());
        let param = match typed {
            Some(Some(param)) => Param::Typed(Box::new(param)),
            Some(None) if !names_unconverted(root, v, "parameters") => {
                p.error(
                    &ptr,
                    "parameter reference does not resolve to a parameter in #/components/parameters",
                    None,
                );
                continue;
            }
            // It does not convert: its type error is reported where it
            // is written. Its name and location still count.
            _ => {
                let raw = crate::document::refs::resolve(root, v).map(|(node, _)| node);
                let field = |key: &str| raw.and_then(|n| n.get(key)).and_then(Value::as_str);
                match (field("name"), field("in")) {
                    (Some(name), Some(location)) => Param::Raw {
                        name: name.to_owned(),
                        location: location.to_owned(),
                    },
                    _ => continue,
                }
            }
        };
        out.push((param, ptr));
    }
    out
}

pub(super) fn check_parameters<'a>(
    p: &mut Problems,
    params: impl Iterator<Item = &'a (Param, String)>,
    op_ptr: &str,
    template: &[String],
) {
    // Later ones (the operation's) override earlier ones of the same name.
    let mut by_name: BTreeMap<&str, (&Param, &str)> = BTreeMap::new();
    for (param, ptr) in params {
        if let Param::Typed(typed) = param {
            check_parameter(p, typed, ptr);
        }
        by_name.insert(param.name(), (param, ptr));
    }
    for (name, (param, ptr)) in &by_name {
        if param.in_path() && !template.iter().any(|t| t == name) {
            p.error(
                ptr,
                format!("path parameter `{name}` does not appear in the path"),
                Some(&format!(
                    "add `{{{name}}}` to the path or declare the parameter `in: query`"
                )),
            );
        }
    }
    for name in template {
        let declared = by_name
            .get(name.as_str())
            .is_some_and(|(param, _)| param.in_path());
        if !declared {
            p.error(
                op_ptr,
                format!("path variable `{{{name}}}` is not declared as a path parameter"),
                Some("declare it under `parameters` with `in: path` and `required: true`"),
            );
        }
    }
}

/// What progenitor supports of one parameter. Every path style (`simple`,
/// `label`, `matrix`) and every query and header one is written, by
/// progenitor or the runtime (`generate::queries`).
pub(super) fn check_parameter(p: &mut Problems, param: &Parameter, ptr: &str) {
    // `content` parameters were given their schema by normalization.
    let data = param.parameter_data_ref();
    match param {
        Parameter::Path { parameter_data, .. } if !parameter_data.required => {
            p.error(
                ptr,
                format!(
                    "path parameter `{}` must be `required: true`",
                    parameter_data.name
                ),
                None,
            );
        }
        Parameter::Cookie { .. } => {
            p.error(
                ptr,
                format!("cookie parameter `{}` is not supported", data.name),
                None,
            );
        }
        _ => {}
    }
}
