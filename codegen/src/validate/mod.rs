//! Stage 2, validate: the spec value → a typed `openapiv3::OpenAPI` that
//! progenitor can digest without panicking.
//!
//! progenitor 0.15 `assert!`s, `todo!`s, `unwrap`s or recurses forever on a
//! number of inputs. What can be rewritten into something it digests is
//! rewritten by [`crate::normalize`] (missing operationIds, several
//! response types or body media types, `encoding`, OpenAPI 3.1), with a
//! warning; what cannot (a path parameter missing from its path, a
//! dangling or cyclic `$ref`, a Swagger 2.0 document, …) is checked here.
//! Every problem of the spec is reported in one run, each with its JSON
//! pointer and position in the source, also for nodes normalization moved.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::{
    Components, MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, PathItem,
    ReferenceOr, RequestBody, Response, StatusCode,
};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity, escape_token, percent_decode, pointer};
use crate::error::{Error, Report};
use crate::load::{Spec, kind_of};
use crate::naming::{Case, sanitize};
use crate::normalize::{self, Origins};

mod composition;
mod shape;

/// HTTP methods of a path item, in the order progenitor visits them.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Checks `spec`, normalizes it and converts it to the typed model.
/// Returns the model and the warnings (what normalization changed).
pub(crate) fn validate(spec: &Spec) -> Result<(OpenAPI, Vec<Diagnostic>), Error> {
    let mut problems = Problems {
        spec,
        found: Vec::new(),
        origins: Origins::default(),
    };
    check_version(&mut problems);
    if !problems.found.is_empty() {
        return Err(problems.into_error());
    }
    check_refs(&mut problems);
    let normalized = normalize::normalize(spec.value());
    let mut warnings = Vec::new();
    for f in normalized.findings {
        let mut d = spec.diagnostic(f.severity, &f.pointer, f.message);
        if let Some(help) = f.help {
            d = d.with_help(help);
        }
        if d.is_error() {
            problems.found.push(d);
        } else {
            warnings.push(d);
        }
    }
    problems.origins = normalized.origins;
    let value = normalized.value;
    // Schemas are checked as normalized: lowering 3.1 rewrites `type`s and
    // wraps references in `allOf`.
    check_schema_types(&mut problems, &value);
    check_compositions(&mut problems, &value);
    let typed = match <OpenAPI as serde::Deserialize>::deserialize(&value) {
        Ok(api) => Some(api),
        Err(e) => {
            let located = shape::type_errors(&value);
            if located.is_empty() {
                problems.error("", format!("invalid OpenAPI document: {e}"), None);
            }
            for (ptr, message) in located {
                problems.error(&ptr, format!("invalid OpenAPI document: {message}"), None);
            }
            None
        }
    };
    if let Some(api) = &typed {
        check_operations(&mut problems, api);
    }
    match typed {
        Some(api) if problems.found.is_empty() => Ok((api, warnings)),
        _ => Err(problems.into_error()),
    }
}

struct Problems<'a> {
    spec: &'a Spec,
    found: Vec<Diagnostic>,
    /// Where nodes of the normalized document were in the source.
    origins: Origins,
}

impl Problems<'_> {
    fn error(&mut self, ptr: &str, message: impl Into<String>, help: Option<&str>) {
        let ptr = self.origins.source(ptr);
        let mut d = self.spec.diagnostic(Severity::Error, &ptr, message);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.found.push(d);
    }

    fn into_error(self) -> Error {
        Error::Spec(Report {
            diagnostics: self.found,
        })
    }
}

fn check_version(p: &mut Problems) {
    let root = p.spec.value();
    if let Some(v) = root.get("swagger") {
        let version = v
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string());
        p.error(
            "/swagger",
            format!("Swagger {version} documents are not supported"),
            Some("convert the document to OpenAPI 3.0 first (for example with swagger2openapi)"),
        );
        return;
    }
    match root.get("openapi") {
        None => p.error(
            "",
            "missing `openapi` version field",
            Some("an OpenAPI 3.0 document starts with `openapi: 3.0.3`"),
        ),
        Some(Value::String(v))
            if v.trim().starts_with("3.0.") || normalize::openapi31::applies(root) => {}
        Some(Value::String(v)) => p.error(
            "/openapi",
            format!("unsupported OpenAPI version `{v}`"),
            Some("OpenAPI 3.0.x and 3.1.x documents are supported"),
        ),
        Some(other) => p.error(
            "/openapi",
            format!(
                "`openapi` must be a version string like \"3.0.3\", found {}",
                kind_of(other)
            ),
            Some("quote the version: `openapi: \"3.0.3\"`"),
        ),
    }
}

/// Every `$ref` must point at an existing node of this document, under
/// `#/components/`, and chains of references must end somewhere.
fn check_refs(p: &mut Problems) {
    let root = p.spec.value();
    let mut refs = Vec::new();
    collect_refs(root, &mut String::new(), &mut refs);
    for (at, target) in refs {
        let ptr = format!("{at}/$ref");
        let Some(fragment) = target.strip_prefix('#') else {
            p.error(
                &ptr,
                format!("external reference `{target}` is not supported"),
                Some("bundle the spec into one file (for example with `redocly bundle`)"),
            );
            continue;
        };
        let fragment = percent_decode(fragment);
        let Some(node) = root.pointer(&fragment) else {
            p.error(
                &ptr,
                format!("dangling reference `{target}`: nothing is defined there"),
                None,
            );
            continue;
        };
        let parts: Vec<&str> = fragment.split('/').collect();
        if parts.len() != 4 || parts[1] != "components" {
            p.error(
                &ptr,
                format!("reference `{target}` does not name a component"),
                Some("point references at `#/components/<section>/<name>`"),
            );
            continue;
        }
        // Follow a chain of pure references to detect a cycle.
        let mut seen = BTreeSet::from([fragment.clone()]);
        let mut node = node;
        while let Some(Value::String(next)) = node.get("$ref") {
            let next = percent_decode(next.trim_start_matches('#'));
            if !seen.insert(next.clone()) {
                p.error(
                    &ptr,
                    format!("cyclic reference `{target}`: the chain of `$ref`s never reaches a definition"),
                    None,
                );
                break;
            }
            match root.pointer(&next) {
                Some(n) => node = n,
                None => break, // reported where that reference is written
            }
        }
    }
}

/// The `type`s of OpenAPI 3.0 (3.1 documents are lowered to 3.0 first).
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Every schema's `type` must be one of [`TYPES`]: progenitor `todo!()`s on
/// any other. A `type` that is not a string at all is a type error of the
/// typed conversion, except `null`, which that conversion takes as no type.
fn check_schema_types(p: &mut Problems, value: &Value) {
    let mut found: Vec<(String, String, String)> = Vec::new();
    normalize::doc::visit_all_schemas(value, &mut |schema, ptr| {
        let (shown, null) = match schema.get("type") {
            Some(Value::String(t)) if TYPES.contains(&t.as_str()) => return,
            Some(Value::String(t)) => (format!("`{t}`"), t == "null"),
            Some(Value::Null) => ("`null`".to_owned(), true),
            _ => return,
        };
        let help = if null {
            "OpenAPI 3.0 has no `null` type: give the schema its type and `nullable: true` \
             (or declare `openapi: 3.1.0` and write `type: [T, \"null\"]`)"
                .to_owned()
        } else {
            let t = schema["type"].as_str().unwrap_or_default();
            let near = TYPES
                .iter()
                .find(|known| edit_distance(t, known) <= 2)
                .map(|known| format!("did you mean `{known}`? "))
                .unwrap_or_default();
            format!(
                "{near}the types are {}",
                TYPES.map(|t| format!("`{t}`")).join(", ")
            )
        };
        found.push((
            format!("{ptr}/type"),
            format!("{shown} is not a schema type"),
            help,
        ));
    });
    for (ptr, message, help) in found {
        p.error(&ptr, message, Some(&help));
    }
}

/// Levenshtein distance, for "did you mean" (short words only).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Schemas typify would expand until the stack overflows, which aborts the
/// process (see [`composition`]).
fn check_compositions(p: &mut Problems, value: &Value) {
    for cycle in composition::cycles(value) {
        let chain = cycle.chain();
        match &cycle.kind {
            composition::Kind::SelfMade(keywords) => {
                let through: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
                p.error(
                    &cycle.at,
                    format!(
                        "schema `{}` is made of itself through {}: {chain}",
                        cycle.names[0],
                        through.join(" and ")
                    ),
                    Some(
                        "a schema cannot be composed (`allOf`, `oneOf`, `anyOf`) of itself; \
                         refer to it from a property or from `items` to make a recursive type",
                    ),
                );
            }
            composition::Kind::EndlessMerge { site } => {
                let tokens: Vec<&str> = site.split('/').collect();
                let whose = match tokens.as_slice() {
                    ["", "components", "schemas", name] => {
                        format!("of `{}`", name.replace("~1", "/").replace("~0", "~"))
                    }
                    _ => format!("at #{}", p.origins.source(site)),
                };
                p.error(
                    &cycle.at,
                    format!("the `allOf` {whose} cannot be merged: the merge never ends ({chain})"),
                    Some(
                        "the generator merges `allOf` members property by property, and here a \
                         property several members define leads back to a schema being merged; \
                         give that property the same schema in each member, or define it in one",
                    ),
                );
            }
            composition::Kind::EndlessExpansion { site, keywords } => {
                let site = p.origins.source(site);
                let names: Vec<String> = cycle.names.iter().map(|n| format!("`{n}`")).collect();
                let keywords: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
                let (names, keywords) = (names.join(", "), keywords.join(", "));
                p.error(
                    &cycle.at,
                    format!(
                        "the schema at #{site} expands forever: merged with {names}, it becomes a copy of {names} that contains it again"
                    ),
                    Some(&format!(
                        "the generator copies a referenced schema when keywords beside the reference change it ({keywords} here); \
                         move them into the referenced schema, or drop them"
                    )),
                );
            }
        }
    }
}

/// Keys whose values are data (examples, defaults, extensions), not
/// OpenAPI objects: a `$ref` in them is not a reference.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

fn collect_refs(value: &Value, at: &mut String, out: &mut Vec<(String, String)>) {
    collect_refs_in(value, at, out, false);
}

fn collect_refs_in(
    value: &Value,
    at: &mut String,
    out: &mut Vec<(String, String)>,
    in_properties: bool,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.push((at.clone(), target.clone()));
            }
            for (k, v) in map {
                // A property may be called `example`; its schema is no data.
                if !in_properties && is_data_key(k) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(k));
                collect_refs_in(v, at, out, !in_properties && k == "properties");
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                collect_refs_in(v, at, out, false);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn check_operations(p: &mut Problems, api: &OpenAPI) {
    let components = api.components.as_ref();
    let mut operation_ids: HashMap<String, String> = HashMap::new();
    // Method name → (operationId, pointer): `getPets` and `get_pets` are
    // distinct ids but the same generated method.
    let mut methods: HashMap<String, (String, String)> = HashMap::new();
    for (path, item) in &api.paths.paths {
        let item_ptr = pointer(["paths", path.as_str()]);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                p.error(
                    &format!("{item_ptr}/$ref"),
                    "path items given by `$ref` are not supported",
                    Some("write the path item inline"),
                );
                continue;
            }
        };
        let template = match template_names(path) {
            Ok(names) => names,
            Err(message) => {
                p.error(&item_ptr, message, None);
                continue;
            }
        };
        for (method, op) in operations(item) {
            let op_ptr = format!("{item_ptr}/{method}");
            match &op.operation_id {
                None => p.error(
                    &op_ptr,
                    format!(
                        "operation `{} {path}` has no operationId",
                        method.to_uppercase()
                    ),
                    Some("add an `operationId`; it names the generated method"),
                ),
                Some(id) => {
                    if let Some(first) = operation_ids.get(id) {
                        p.error(
                            &format!("{op_ptr}/operationId"),
                            format!("duplicate operationId `{id}` (first used at #{first})"),
                            Some("operationIds name the generated methods and must be unique"),
                        );
                    } else {
                        let at = format!("{op_ptr}/operationId");
                        operation_ids.insert(id.clone(), at.clone());
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
                            methods.insert(method_name, (id.clone(), at));
                        }
                    }
                }
            }
            check_parameters(p, components, item, op, &op_ptr, &item_ptr, &template);
            if let Some(body) = &op.request_body {
                check_body(p, components, body, &format!("{op_ptr}/requestBody"));
            }
            check_responses(p, components, op, &op_ptr);
        }
    }
}

/// The operations of a path item with their lower-case method names.
pub(crate) fn operations(item: &PathItem) -> impl Iterator<Item = (&'static str, &Operation)> {
    let ops = [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.options,
        &item.head,
        &item.patch,
        &item.trace,
    ];
    METHODS
        .into_iter()
        .zip(ops)
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
}

/// The `{name}` variables of a path template.
fn template_names(path: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(format!("path `{path}` has an unclosed `{{`"));
        };
        let name = &after[..end];
        if name.is_empty() || name.contains('{') {
            return Err(format!("path `{path}` has a malformed variable"));
        }
        names.push(name.to_owned());
        rest = &after[end + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path `{path}` has an unmatched `}}`"));
    }
    Ok(names)
}

/// Resolves a `#/components/<section>/<name>` reference in a typed section.
fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    section: impl Fn(&'a Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    components: Option<&'a Components>,
) -> Option<&'a T> {
    let mut item = item;
    for _ in 0..32 {
        match item {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next()?;
                item = section(components?).get(&percent_decode(name))?;
            }
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn check_parameters(
    p: &mut Problems,
    components: Option<&Components>,
    item: &PathItem,
    op: &Operation,
    op_ptr: &str,
    item_ptr: &str,
    template: &[String],
) {
    // Operation parameters override path-item parameters of the same name.
    let mut by_name: BTreeMap<String, (&Parameter, String)> = BTreeMap::new();
    let sources = item
        .parameters
        .iter()
        .enumerate()
        .map(|(i, r)| (r, format!("{item_ptr}/parameters/{i}")))
        .chain(
            op.parameters
                .iter()
                .enumerate()
                .map(|(i, r)| (r, format!("{op_ptr}/parameters/{i}"))),
        );
    for (r, ptr) in sources {
        let Some(param) = resolve(r, |c| &c.parameters, components) else {
            p.error(
                &ptr,
                "parameter reference does not resolve to a parameter in #/components/parameters",
                None,
            );
            continue;
        };
        let data = param.parameter_data_ref();
        if let ParameterSchemaOrContent::Content(_) = data.format {
            p.error(
                &ptr,
                format!(
                    "parameter `{}` uses `content`; only `schema` parameters are supported",
                    data.name
                ),
                None,
            );
        }
        match param {
            Parameter::Path {
                style,
                parameter_data,
            } => {
                if !parameter_data.required {
                    p.error(
                        &ptr,
                        format!(
                            "path parameter `{}` must be `required: true`",
                            parameter_data.name
                        ),
                        None,
                    );
                }
                if !matches!(style, openapiv3::PathStyle::Simple) {
                    p.error(
                        &ptr,
                        format!(
                            "path parameter `{}`: only `style: simple` is supported",
                            parameter_data.name
                        ),
                        None,
                    );
                }
            }
            Parameter::Query {
                style,
                parameter_data,
                ..
            } => {
                if !matches!(style, openapiv3::QueryStyle::Form) {
                    p.error(
                        &ptr,
                        format!(
                            "query parameter `{}`: only `style: form` is supported",
                            parameter_data.name
                        ),
                        None,
                    );
                }
            }
            Parameter::Header {
                style,
                parameter_data,
            } => {
                if !matches!(style, openapiv3::HeaderStyle::Simple) {
                    p.error(
                        &ptr,
                        format!(
                            "header parameter `{}`: only `style: simple` is supported",
                            parameter_data.name
                        ),
                        None,
                    );
                }
            }
            Parameter::Cookie { parameter_data, .. } => {
                p.error(
                    &ptr,
                    format!(
                        "cookie parameter `{}` is not supported",
                        parameter_data.name
                    ),
                    None,
                );
            }
        }
        by_name.insert(data.name.clone(), (param, ptr));
    }
    for (name, (param, ptr)) in &by_name {
        if matches!(param, Parameter::Path { .. }) && !template.contains(name) {
            p.error(
                ptr,
                format!("path parameter `{name}` does not appear in the path"),
                Some("add `{name}` to the path or declare the parameter `in: query`"),
            );
        }
    }
    for name in template {
        let declared = by_name
            .get(name)
            .is_some_and(|(param, _)| matches!(param, Parameter::Path { .. }));
        if !declared {
            p.error(
                op_ptr,
                format!("path variable `{{{name}}}` is not declared as a path parameter"),
                Some("declare it under `parameters` with `in: path` and `required: true`"),
            );
        }
    }
}

fn check_body(
    p: &mut Problems,
    components: Option<&Components>,
    body: &ReferenceOr<RequestBody>,
    ptr: &str,
) {
    let Some(body) = resolve(body, |c| &c.request_bodies, components) else {
        p.error(
            ptr,
            "request body reference does not resolve to #/components/requestBodies",
            None,
        );
        return;
    };
    if body.content.len() > 1 {
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        p.error(
            &format!("{ptr}/content"),
            format!(
                "request body has several media types ({})",
                types.join(", ")
            ),
            Some("keep one media type (application/json is preferred)"),
        );
        return;
    }
    let Some((media, mt)) = body.content.first() else {
        return;
    };
    let mt_ptr = format!("{ptr}/content/{}", escape_token(media));
    let essence = media.split(';').next().unwrap_or_default().trim();
    let supported = [
        "application/json",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "text/plain",
        "text/x-markdown",
    ];
    if !supported.contains(&essence) {
        p.error(
            &mt_ptr,
            format!("request body media type `{media}` is not supported"),
            Some("supported: application/json, application/x-www-form-urlencoded, application/octet-stream, text/plain"),
        );
    }
    check_media_type(p, mt, &mt_ptr, "request body");
}

fn check_media_type(p: &mut Problems, mt: &MediaType, ptr: &str, what: &str) {
    if !mt.encoding.is_empty() {
        p.error(
            &format!("{ptr}/encoding"),
            format!("{what}: `encoding` is not supported"),
            None,
        );
    }
    if mt.schema.is_none() {
        p.error(ptr, format!("{what} has no `schema`"), None);
    }
}

/// What progenitor makes of one response: its kinds must be unique among
/// the success responses and among the error responses of an operation.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ResponseKind {
    Json(String),
    None,
    Raw,
    Upgrade,
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

fn check_responses(
    p: &mut Problems,
    components: Option<&Components>,
    op: &Operation,
    op_ptr: &str,
) {
    let mut entries: Vec<(Option<u16>, Option<u16>, String, &Response)> = Vec::new(); // (code, range, ptr, resp)
    let responses_ptr = format!("{op_ptr}/responses");
    if let Some(default) = &op.responses.default {
        let ptr = format!("{responses_ptr}/default");
        match resolve(default, |c| &c.responses, components) {
            Some(r) => entries.push((None, None, ptr, r)),
            None => p.error(
                &ptr,
                "response reference does not resolve to #/components/responses",
                None,
            ),
        }
    }
    for (status, r) in &op.responses.responses {
        let key = status.to_string();
        let ptr = format!("{responses_ptr}/{}", escape_token(&key));
        let (code, range) = match status {
            StatusCode::Code(c) if (100..=599).contains(c) => (Some(*c), None),
            StatusCode::Range(r) if (1..=5).contains(r) => (None, Some(*r)),
            _ => {
                p.error(&ptr, format!("`{key}` is not an HTTP status code"), None);
                continue;
            }
        };
        match resolve(r, |c| &c.responses, components) {
            Some(r) => entries.push((code, range, ptr, r)),
            None => p.error(
                &ptr,
                "response reference does not resolve to #/components/responses",
                None,
            ),
        }
    }
    // Distinct kinds, each with the first response that has it, in spec order.
    let mut success: Vec<(ResponseKind, String)> = Vec::new();
    let mut failure: Vec<(ResponseKind, String)> = Vec::new();
    let add = |set: &mut Vec<(ResponseKind, String)>, kind: &ResponseKind, ptr: &String| {
        if !set.iter().any(|(k, _)| k == kind) {
            set.push((kind.clone(), ptr.clone()));
        }
    };
    let has_success_range = entries.iter().any(|(_, range, ..)| *range == Some(2));
    for (code, range, ptr, resp) in &entries {
        let json = resp.content.iter().find(|(m, _)| is_json(m));
        let kind = if let Some((media, mt)) = json {
            check_media_type(
                p,
                mt,
                &format!("{ptr}/content/{}", escape_token(media)),
                "response",
            );
            match &mt.schema {
                Some(ReferenceOr::Reference { reference }) => ResponseKind::Json(reference.clone()),
                Some(schema) => {
                    ResponseKind::Json(serde_json::to_string(schema).unwrap_or_default())
                }
                None => continue,
            }
        } else if *code == Some(101) {
            ResponseKind::Upgrade
        } else if !resp.content.is_empty() {
            ResponseKind::Raw
        } else {
            ResponseKind::None
        };
        let is_default = code.is_none() && range.is_none();
        let is_success = is_default || matches!(code, Some(101 | 200..=299)) || *range == Some(2);
        let is_failure =
            is_default || matches!(code, Some(400..=599)) || matches!(range, Some(4 | 5));
        // A `default` beside a `2XX` never decodes a success.
        if is_success && !(is_default && has_success_range) {
            add(&mut success, &kind, ptr);
        }
        if is_failure {
            add(&mut failure, &kind, ptr);
        }
    }
    for (set, what) in [(&success, "success"), (&failure, "error")] {
        if set.len() > 1 {
            let at: Vec<String> = set
                .iter()
                .map(|(_, v)| v.rsplit('/').next().unwrap_or_default().replace("~1", "/"))
                .collect();
            p.error(
                &responses_ptr,
                format!(
                    "operation `{}` has {} different {what} response types (responses {})",
                    op.operation_id.as_deref().unwrap_or("?"),
                    set.len(),
                    at.join(", ")
                ),
                Some("give these responses one schema (for example a `oneOf` of the alternatives)"),
            );
        }
    }
}
