//! Stage 2, validate: the spec value → a typed `openapiv3::OpenAPI` that
//! progenitor can digest without panicking.
//!
//! progenitor 0.15 `assert!`s, `todo!`s, `unwrap`s or recurses forever on a
//! number of inputs. What can be rewritten into something it digests is
//! rewritten by [`crate::normalize`] (missing operationIds, several
//! response types or body media types, `encoding`, OpenAPI 3.1), with a
//! warning; what cannot (a path parameter missing from its path, a
//! dangling or cyclic `$ref`, a schema made of itself, a Swagger 2.0
//! document, …) is checked here.
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
        return Err(problems.into_error(Vec::new()));
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
    // Also when the document does not convert as a whole: each part that
    // converts is checked.
    check_operations(&mut problems, &value);
    match typed {
        Some(api) if problems.found.is_empty() => Ok((api, warnings)),
        _ => Err(problems.into_error(warnings)),
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

    /// The report: the errors, then the warnings (what normalization
    /// changed still says where the spec needs care).
    fn into_error(mut self, warnings: Vec<Diagnostic>) -> Error {
        self.found.extend(warnings);
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
                // The polymorphism idiom: a base lists its subtypes in
                // `oneOf`, and each subtype extends the base with `allOf`.
                let help = if keywords.contains(&"allOf") && keywords.len() > 1 {
                    "a base schema that lists its subtypes in `oneOf`/`anyOf` while they \
                     extend it with `allOf` is made of itself; move the shared properties into \
                     a schema of their own that the subtypes extend and the base does not list"
                } else {
                    "a schema cannot be composed (`allOf`, `oneOf`, `anyOf`) of itself; \
                     refer to it from a property or from `items` to make a recursive type"
                };
                p.error(
                    &cycle.at,
                    format!(
                        "schema `{}` is made of itself through {}: {chain}",
                        cycle.names[0],
                        through.join(" and ")
                    ),
                    Some(help),
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

/// The parts of the document the operation checks read, each converted to
/// its typed model on its own: one part of the wrong shape (reported by
/// the typed conversion, located by [`shape`]) does not hide the problems
/// of the others.
fn lenient<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The entries of a `#/components/<section>` that convert.
fn lenient_section<T: serde::de::DeserializeOwned>(
    root: &Value,
    section: &str,
) -> indexmap::IndexMap<String, ReferenceOr<T>> {
    root.get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, v)| Some((name.clone(), lenient(v)?)))
        .collect()
}

/// `responses`, with only the entries that convert.
fn lenient_responses(value: &Value) -> Option<openapiv3::Responses> {
    if let Some(all) = lenient(value) {
        return Some(all);
    }
    let Value::Object(entries) = value else {
        return None;
    };
    let converting: serde_json::Map<String, Value> = entries
        .iter()
        .filter(|(key, v)| key.starts_with("x-") || lenient::<ReferenceOr<Response>>(v).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    lenient(&Value::Object(converting))
}

/// Whether a reference that did not resolve in the converted components
/// names a component of `section` that exists but did not convert: its
/// type error is reported where it is written.
fn names_unconverted(root: &Value, value: &Value, section: &str) -> bool {
    normalize::doc::resolve(root, value)
        .and_then(|(_, at)| at)
        .is_some_and(|at| at.starts_with(&format!("/components/{section}/")))
}

/// A parameter as the checks see it.
enum Param {
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

fn check_operations(p: &mut Problems, root: &Value) {
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

/// The parameters listed at `at/parameters`, each resolved and converted
/// on its own, with their pointers.
fn parameters(
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
                let raw = normalize::doc::resolve(root, v).map(|(node, _)| node);
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

fn check_parameters<'a>(
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
                Some("add `{name}` to the path or declare the parameter `in: query`"),
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

/// What progenitor supports of one parameter.
fn check_parameter(p: &mut Problems, param: &Parameter, ptr: &str) {
    let data = param.parameter_data_ref();
    if let ParameterSchemaOrContent::Content(_) = data.format {
        p.error(
            ptr,
            format!(
                "parameter `{}` uses `content`; only `schema` parameters are supported",
                data.name
            ),
            None,
        );
    }
    let (location, style_ok, style) = match param {
        Parameter::Path {
            style,
            parameter_data,
        } => {
            if !parameter_data.required {
                p.error(
                    ptr,
                    format!(
                        "path parameter `{}` must be `required: true`",
                        parameter_data.name
                    ),
                    None,
                );
            }
            (
                "path",
                matches!(style, openapiv3::PathStyle::Simple),
                "simple",
            )
        }
        Parameter::Query { style, .. } => (
            "query",
            matches!(style, openapiv3::QueryStyle::Form),
            "form",
        ),
        Parameter::Header { style, .. } => (
            "header",
            matches!(style, openapiv3::HeaderStyle::Simple),
            "simple",
        ),
        Parameter::Cookie { .. } => {
            p.error(
                ptr,
                format!("cookie parameter `{}` is not supported", data.name),
                None,
            );
            return;
        }
    };
    if !style_ok {
        p.error(
            ptr,
            format!(
                "{location} parameter `{}`: only `style: {style}` is supported",
                data.name
            ),
            None,
        );
    }
}

fn check_body(p: &mut Problems, body: &RequestBody, ptr: &str) {
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
    root: &Value,
    components: &Components,
    responses: &openapiv3::Responses,
    operation_id: Option<&str>,
    op_ptr: &str,
) {
    let mut entries: Vec<(Option<u16>, Option<u16>, String, &Response)> = Vec::new(); // (code, range, ptr, resp)
    let responses_ptr = format!("{op_ptr}/responses");
    let unresolved = |p: &mut Problems, ptr: &str| {
        let unconverted = root
            .pointer(ptr)
            .is_some_and(|raw| names_unconverted(root, raw, "responses"));
        if !unconverted {
            p.error(
                ptr,
                "response reference does not resolve to #/components/responses",
                None,
            );
        }
    };
    if let Some(default) = &responses.default {
        let ptr = format!("{responses_ptr}/default");
        match resolve(default, |c| &c.responses, Some(components)) {
            Some(r) => entries.push((None, None, ptr, r)),
            None => unresolved(p, &ptr),
        }
    }
    for (status, r) in &responses.responses {
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
        match resolve(r, |c| &c.responses, Some(components)) {
            Some(r) => entries.push((code, range, ptr, r)),
            None => unresolved(p, &ptr),
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
                    operation_id.unwrap_or("?"),
                    set.len(),
                    at.join(", ")
                ),
                Some("give these responses one schema (for example a `oneOf` of the alternatives)"),
            );
        }
    }
}
