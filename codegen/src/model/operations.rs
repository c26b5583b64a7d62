//! The checks of each operation that keep progenitor from panicking: an
//! operationId that names one method, path parameters that match the path
//! template, and what its parameters, body and responses may be.

use std::collections::HashMap;

use openapiv3::{Components, ReferenceOr, RequestBody};
use serde_json::Value;

use super::bodies::check_body;
use super::lenient::{lenient, lenient_responses, lenient_section, names_unconverted, resolve};
use super::parameters::{check_parameters, parameters};
use super::responses::check_responses;
use crate::document::operations::{METHODS, template_names};
use crate::document::pointer::pointer;
use crate::naming::{Case, sanitize};
use crate::problems::Problems;

pub(crate) fn check(p: &mut Problems, root: &Value) {
    let components = Components {
        parameters: lenient_section(root, "parameters"),
        request_bodies: lenient_section(root, "requestBodies"),
        responses: lenient_section(root, "responses"),
        ..Components::default()
    };
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut operation_ids: HashMap<String, String> = HashMap::new();
    // Method name → (operationId, pointer): `getPets` and `get_pets` are
    // distinct ids but the same generated method.
    let mut methods: HashMap<String, (String, String)> = HashMap::new();
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue;
        }
        let item_ptr = pointer(["paths", path.as_str()]);
        let Value::Object(item) = item else {
            continue; // a type error
        };
        if item.contains_key("$ref") {
            p.error(
                &format!("{item_ptr}/$ref"),
                "path items given by `$ref` are not supported",
                Some("write the path item inline"),
            );
            continue;
        }
        let template = match template_names(path) {
            Ok(names) => names,
            Err(message) => {
                p.error(&item_ptr, message, None);
                continue;
            }
        };
        let item_params = parameters(p, root, &components, item.get("parameters"), &item_ptr);
        for method in METHODS {
            let Some(Value::Object(op)) = item.get(method) else {
                continue;
            };
            let op_ptr = format!("{item_ptr}/{method}");
            let id = match op.get("operationId") {
                None => {
                    p.error(
                        &op_ptr,
                        format!(
                            "operation `{} {path}` has no operationId",
                            method.to_uppercase()
                        ),
                        Some("add an `operationId`; it names the generated method"),
                    );
                    None
                }
                Some(Value::String(id)) => Some(id.as_str()),
                Some(_) => None, // a type error
            };
            if let Some(id) = id {
                if let Some(first) = operation_ids.get(id) {
                    p.error(
                        &format!("{op_ptr}/operationId"),
                        format!("duplicate operationId `{id}` (first used at #{first})"),
                        Some("operationIds name the generated methods and must be unique"),
                    );
                } else {
                    let at = format!("{op_ptr}/operationId");
                    operation_ids.insert(id.to_owned(), at.clone());
                    let method_name = sanitize(id, Case::Snake);
                    if let Some((other, first)) = methods.get(&method_name) {
                        p.error(
                            &at,
                            format!(
                                "operationId `{id}` names the same method `{method_name}` as `{other}` (at #{first})"
                            ),
                            Some("operationIds name the generated methods; rename one of them"),
                        );
                    } else {
                        methods.insert(method_name, (id.to_owned(), at));
                    }
                }
            }
            let op_params = parameters(p, root, &components, op.get("parameters"), &op_ptr);
            // Operation parameters override path-item parameters of the same name.
            let all = item_params.iter().chain(&op_params);
            check_parameters(p, all, &op_ptr, &template);
            if let Some(body) = op.get("requestBody") {
                let body_ptr = format!("{op_ptr}/requestBody");
                if let Some(typed) = lenient::<ReferenceOr<RequestBody>>(body) {
                    match resolve(&typed, |c| &c.request_bodies, Some(&components)) {
                        Some(body) => check_body(p, body, &body_ptr),
                        None if names_unconverted(root, body, "requestBodies") => {}
                        None => p.error(
                            &body_ptr,
                            "request body reference does not resolve to #/components/requestBodies",
                            None,
                        ),
                    }
                }
            }
            if let Some(responses) = op.get("responses").and_then(lenient_responses) {
                check_responses(p, root, &components, &responses, id, &op_ptr);
            }
        }
    }
}
