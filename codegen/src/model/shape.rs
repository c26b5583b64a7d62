//! Type errors (a value of the wrong shape), located precisely.
//!
//! `openapiv3`'s structs flatten their `x-` extensions into a map, and serde
//! buffers flattened content, so a deserialization error loses its path at
//! the first such struct: every mistake under `paths` would be reported at
//! `/paths`. Instead, when the document does not deserialize, this module
//! descends the OpenAPI structure, checking each part on its own as its own
//! type, down to the smallest part that fails. Inside that part the culprit
//! field is the one whose removal changes the error. Every failing part is
//! reported, not only the first. This costs nothing for a valid spec: it
//! runs only after the whole document failed to deserialize.

use openapiv3::{
    Callback, Components, Example, Header, Link, MediaType, OpenAPI, Operation, Parameter,
    PathItem, Paths, ReferenceOr, RequestBody, Response, Responses, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::document::pointer::escape_token;

/// The parts of an OpenAPI document this module knows how to descend into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    Root,
    Paths,
    PathItem,
    Operation,
    Parameters,
    Parameter,
    RequestBody,
    Content,
    MediaType,
    Responses,
    Response,
    Components,
    Schemas,
    Schema,
    SchemaList,
    ParameterMap,
    RequestBodyMap,
    ResponseMap,
    SecuritySchemeMap,
    SecurityScheme,
    HeaderMap,
    Header,
    ExampleMap,
    Example,
    LinkMap,
    Link,
    CallbackMap,
    Callback,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The first error of deserializing `value` as `T`.
fn check_as<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    T::deserialize(value).map(drop).map_err(|e| e.to_string())
}

/// `ReferenceOr<T>` is untagged, and its error says only "did not match any
/// variant"; without a `$ref` the value must be a `T`, whose error is useful.
fn check_ref_or<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    if value.get("$ref").is_some() {
        check_as::<ReferenceOr<T>>(value)
    } else {
        check_as::<T>(value)
    }
}

impl Part {
    fn check(self, value: &Value) -> Result<(), String> {
        match self {
            Part::Root => check_as::<OpenAPI>(value),
            Part::Paths => check_as::<Paths>(value),
            Part::PathItem => check_ref_or::<PathItem>(value),
            Part::Operation => check_as::<Operation>(value),
            Part::Parameters => check_as::<Vec<ReferenceOr<Parameter>>>(value),
            Part::Parameter => check_ref_or::<Parameter>(value),
            Part::RequestBody => check_ref_or::<RequestBody>(value),
            Part::Content => check_as::<indexmap::IndexMap<String, MediaType>>(value),
            Part::MediaType => check_as::<MediaType>(value),
            Part::Responses => check_as::<Responses>(value),
            Part::Response => check_ref_or::<Response>(value),
            Part::Components => check_as::<Components>(value),
            Part::Schemas => check_as::<indexmap::IndexMap<String, ReferenceOr<Schema>>>(value),
            Part::Schema => check_ref_or::<Schema>(value),
            Part::SchemaList => check_as::<Vec<ReferenceOr<Schema>>>(value),
            Part::ParameterMap => {
                check_as::<indexmap::IndexMap<String, ReferenceOr<Parameter>>>(value)
            }
            Part::RequestBodyMap => {
                check_as::<indexmap::IndexMap<String, ReferenceOr<RequestBody>>>(value)
            }
            Part::ResponseMap => {
                check_as::<indexmap::IndexMap<String, ReferenceOr<Response>>>(value)
            }
            Part::SecuritySchemeMap => {
                check_as::<indexmap::IndexMap<String, ReferenceOr<SecurityScheme>>>(value)
            }
            Part::SecurityScheme => check_ref_or::<SecurityScheme>(value),
            Part::HeaderMap => check_as::<indexmap::IndexMap<String, ReferenceOr<Header>>>(value),
            Part::Header => check_ref_or::<Header>(value),
            Part::ExampleMap => check_as::<indexmap::IndexMap<String, ReferenceOr<Example>>>(value),
            Part::Example => check_ref_or::<Example>(value),
            Part::LinkMap => check_as::<indexmap::IndexMap<String, ReferenceOr<Link>>>(value),
            Part::Link => check_ref_or::<Link>(value),
            // An operation's callbacks are never references; the
            // components' may be: both are read as the components' are.
            Part::CallbackMap => {
                check_as::<indexmap::IndexMap<String, ReferenceOr<Callback>>>(value)
            }
            Part::Callback => check_ref_or::<Callback>(value),
        }
    }

    /// The sub-parts of `value` with their keys.
    fn children(self, value: &Value) -> Vec<(String, Part, &Value)> {
        let field =
            |name: &str, part: Part| value.get(name).map(|v| vec![(name.to_owned(), part, v)]);
        let entries = |part: Part| -> Vec<(String, Part, &Value)> {
            match value {
                Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), part, v)).collect(),
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), part, v))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let fields = |list: &[(&str, Part)]| -> Vec<(String, Part, &Value)> {
            list.iter()
                .filter_map(|(n, p)| field(n, *p))
                .flatten()
                .collect()
        };
        match self {
            Part::Root => fields(&[("paths", Part::Paths), ("components", Part::Components)]),
            Part::Paths => entries(Part::PathItem)
                .into_iter()
                .filter(|(k, ..)| k.starts_with('/'))
                .collect(),
            Part::PathItem => {
                let mut out: Vec<_> = METHODS
                    .iter()
                    .filter_map(|m| field(m, Part::Operation))
                    .flatten()
                    .collect();
                out.extend(fields(&[("parameters", Part::Parameters)]));
                out
            }
            Part::Operation => fields(&[
                ("parameters", Part::Parameters),
                ("requestBody", Part::RequestBody),
                ("responses", Part::Responses),
                ("callbacks", Part::CallbackMap),
            ]),
            Part::Parameters => entries(Part::Parameter),
            Part::Parameter | Part::Header => fields(&[
                ("schema", Part::Schema),
                ("content", Part::Content),
                ("examples", Part::ExampleMap),
            ]),
            Part::RequestBody => fields(&[("content", Part::Content)]),
            Part::Response => fields(&[
                ("content", Part::Content),
                ("headers", Part::HeaderMap),
                ("links", Part::LinkMap),
            ]),
            Part::Content => entries(Part::MediaType),
            Part::MediaType => fields(&[("schema", Part::Schema), ("examples", Part::ExampleMap)]),
            Part::Responses => entries(Part::Response)
                .into_iter()
                .filter(|(k, ..)| !k.starts_with("x-"))
                .collect(),
            Part::Components => fields(&[
                ("schemas", Part::Schemas),
                ("parameters", Part::ParameterMap),
                ("requestBodies", Part::RequestBodyMap),
                ("responses", Part::ResponseMap),
                ("securitySchemes", Part::SecuritySchemeMap),
                ("headers", Part::HeaderMap),
                ("examples", Part::ExampleMap),
                ("links", Part::LinkMap),
                ("callbacks", Part::CallbackMap),
            ]),
            Part::Schemas => entries(Part::Schema),
            Part::Schema => fields(&[
                ("properties", Part::Schemas),
                ("items", Part::Schema),
                ("allOf", Part::SchemaList),
                ("oneOf", Part::SchemaList),
                ("anyOf", Part::SchemaList),
                ("not", Part::Schema),
            ]),
            Part::SchemaList => entries(Part::Schema),
            Part::ParameterMap => entries(Part::Parameter),
            Part::RequestBodyMap => entries(Part::RequestBody),
            Part::ResponseMap => entries(Part::Response),
            Part::SecuritySchemeMap => entries(Part::SecurityScheme),
            Part::HeaderMap => entries(Part::Header),
            Part::ExampleMap => entries(Part::Example),
            Part::LinkMap => entries(Part::Link),
            Part::CallbackMap => entries(Part::Callback),
            // A callback's keys are expressions, not paths.
            Part::Callback => entries(Part::PathItem),
            Part::SecurityScheme | Part::Example | Part::Link => Vec::new(),
        }
    }
}

/// One type error: the culprit field, the error, and the parts from the
/// root down to the smallest part that fails, each with its pointer.
#[derive(Clone, Debug)]
pub(super) struct TypeError {
    pub pointer: String,
    pub message: String,
    pub parts: Vec<(String, Part)>,
}

/// Locates every type error in a document that failed to deserialize as
/// [`OpenAPI`].
pub(super) fn type_errors(root: &Value) -> Vec<TypeError> {
    let mut out = Vec::new();
    let mut parts = Vec::new();
    narrow(Part::Root, root, String::new(), &mut parts, &mut out);
    out
}

fn narrow(
    part: Part,
    value: &Value,
    ptr: String,
    parts: &mut Vec<(String, Part)>,
    out: &mut Vec<TypeError>,
) {
    let Err(error) = part.check(value) else {
        return;
    };
    parts.push((ptr.clone(), part));
    let mut in_children = false;
    for (key, child, v) in part.children(value) {
        if child.check(v).is_err() {
            in_children = true;
            narrow(
                child,
                v,
                format!("{ptr}/{}", escape_token(&key)),
                parts,
                out,
            );
        }
    }
    if !in_children {
        culprits(part, value, ptr, error, parts, out);
    }
    parts.pop();
}

/// The culprit fields of `value`, the smallest part that fails: those
/// whose removal changes the error.
fn culprits(
    part: Part,
    value: &Value,
    ptr: String,
    error: String,
    parts: &[(String, Part)],
    out: &mut Vec<TypeError>,
) {
    let mut push = |pointer: String, message: String| {
        out.push(TypeError {
            pointer,
            message,
            parts: parts.to_vec(),
        });
    };
    let Value::Object(map) = value else {
        push(ptr, error);
        return;
    };
    let mut rest = map.clone();
    let mut error = error;
    for _ in 0..map.len() {
        let culprit = rest.keys().find(|k| {
            let mut without = rest.clone();
            without.remove(*k);
            part.check(&Value::Object(without)) != Err(error.clone())
        });
        let Some(key) = culprit.cloned() else {
            push(ptr, error);
            return;
        };
        push(format!("{ptr}/{}", escape_token(&key)), error);
        rest.remove(&key);
        match part.check(&Value::Object(rest.clone())) {
            Ok(()) => return,
            Err(e) if e.starts_with("missing field") => return,
            Err(e) => error = e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Part, type_errors};
    use serde_json::json;

    #[test]
    fn finds_each_bad_field() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"operationId": [1], "responses": {}}},
                "/b": {"post": {"operationId": "b", "responses": {"200": {"description": 5}}}}
            },
            "components": {"schemas": {"S": {"type": "object", "properties": {"x": {"type": 7}}}}}
        });
        let errors = type_errors(&doc);
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/get/operationId",
                "/paths/~1b/post/responses/200/description",
                "/components/schemas/S/properties/x/type",
            ]
        );
        assert!(
            errors[0]
                .message
                .contains("invalid type: sequence, expected a string"),
            "{}",
            errors[0].message
        );
        let smallest: Vec<_> = errors.iter().map(|e| e.parts.last().unwrap().1).collect();
        assert_eq!(smallest, [Part::Operation, Part::Response, Part::Schema]);
    }
}
