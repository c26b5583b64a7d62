//! Query parameters progenitor does not send as the spec says: their
//! style, and their name.
//!
//! progenitor accepts only `style: form` and writes every query parameter
//! through `serde_urlencoded`: a scalar as `name=value`, an array as one
//! pair per item, a flat object as one pair per property. That is exploded
//! `form`. Anything else — `deepObject`, `pipeDelimited`,
//! `spaceDelimited`, `explode: false`, an object (nested ones fail at
//! `send()`) — would be sent wrong or not at all. So progenitor is shown
//! such a parameter as plain `form` (on its own copy of the spec: the
//! parameter keeps its typify type, an object a struct), and the
//! builders pass takes its `.query(..)` out of the request building and
//! appends it to the built request's URL with the runtime's
//! `append_query`, which writes every style of OpenAPI's table.
//!
//! A query parameter whose spec gives `content: {application/json: ..}`
//! (normalization moved its schema to `schema` and marked it
//! `x-codegen-json`) is planned like a styled one, in the runtime's
//! `Style::Json`: one JSON text.
//!
//! Exploded `form` scalars and arrays of scalars stay progenitor's: they
//! are what it writes right, and the output of specs that have nothing
//! else stays as it was.
//!
//! A parameter whose Rust name another parameter of its operation (or the
//! builder) has is renamed for Rust by normalization (`list_id` →
//! `list_id_query`, `frontendApi` → `frontend_api_2`), which keeps the
//! wire name in `x-codegen-wire-name`. progenitor writes the new name into
//! the query (`QueryParam::new("list_id_query", ..)`), the header
//! (`header_map.append("id_header", ..)`) and the typed mock's matchers.
//!
//! Path and header parameters are written by progenitor with
//! `to_string()`, which does not compile for a type without `Display` (an
//! array, a struct, an enum of integers, `()`) and writes other text than
//! serde for some that have one (a date). progenitor also knows only the
//! `simple` style of a path parameter, and is shown `label` and `matrix`
//! ones as `simple` (on its copy of the spec). So every path and header
//! parameter is planned with its style, and the builders pass decides by
//! the parameter's Rust type: a string, integer, boolean or UUID in the
//! `simple` style stays progenitor's (cheap, and the output of specs that
//! have nothing else stays as it was); every other value goes out through
//! the runtime's `path_segment` and `header_value`, which serialize it and
//! write OpenAPI's `simple`, `label` or `matrix` style.
//!
//! One plan holds every such fact of each parameter of every location, so
//! that the one rewrite of the request building (`builders/query.rs`) and
//! the one of the mocks (`mock_queries.rs`) send and match a parameter
//! that is renamed or styled under its wire name, in its style.

use std::collections::{BTreeMap, HashMap};

use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    Schema, SchemaKind, Type,
};

use crate::document::extensions::{JSON_PARAMETER_EXTENSION, WIRE_NAME_EXTENSION};
use crate::document::operations::{OperationKey, plan_operations};

/// Where a planned parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    Query,
    Path,
    Header,
}

/// A parameter progenitor does not write as the spec says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Query {
    pub(crate) location: Location,
    /// progenitor's name for it: in `QueryParam::new(..)`,
    /// `header_map.append(..)` and in the mock's `query_param(..)` and
    /// `header(..)`.
    pub(crate) name: String,
    /// Its name on the wire: `name`, unless normalization renamed it.
    pub(crate) wire: String,
    /// How the runtime writes it; `None`: progenitor's chain writes it
    /// right, under the wrong name. Every path and header parameter has a
    /// style (`Simple`, a path one `Label` or `Matrix` too), which the
    /// runtime writes unless its type displays as it serializes
    /// (`syntax::displays_as_serialized`) and the style is `Simple`.
    pub(crate) style: Option<Style>,
}

/// How the runtime's `append_query` writes a query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Style {
    /// The runtime's `Style` variant: `Form`, `SpaceDelimited`,
    /// `PipeDelimited`, `DeepObject`, or `Json` (a `content` parameter);
    /// for a path or header parameter one of the runtime's `PathStyle`:
    /// `Simple`, `Label`, `Matrix`.
    pub(crate) variant: &'static str,
    pub(crate) explode: bool,
}

/// `(METHOD, path)` → its parameters that progenitor does not write as the
/// spec says, in the order of their Rust names.
pub(crate) type Plan = HashMap<OperationKey, Vec<Query>>;

/// Plans the parameters of every operation of `api` and shows
/// progenitor every query parameter as `style: form`.
pub(crate) fn plan(api: &mut OpenAPI) -> Plan {
    let components = api.components.clone().unwrap_or_default();
    let plan = plan_operations(api, |item, op| {
        // The operation's parameters override the path item's of the
        // same name, as progenitor reads them.
        let mut by_name: BTreeMap<&str, &Parameter> = BTreeMap::new();
        for param in item.parameters.iter().chain(&op.parameters) {
            if let Some(param) = resolve_parameter(param, &components) {
                by_name.insert(&param.parameter_data_ref().name, param);
            }
        }
        let queries: Vec<Query> = by_name
            .values()
            .filter_map(|p| planned(p, &components))
            .collect();
        (!queries.is_empty()).then_some(queries)
    });
    as_form(api);
    plan
}

/// The [`Query`] of a parameter progenitor would not write right, or
/// might not: every path and header one.
fn planned(param: &Parameter, components: &Components) -> Option<Query> {
    let (location, data, variant) = match param {
        Parameter::Path {
            parameter_data,
            style,
        } => {
            let variant = match style {
                PathStyle::Simple => "Simple",
                PathStyle::Label => "Label",
                PathStyle::Matrix => "Matrix",
            };
            (Location::Path, parameter_data, variant)
        }
        Parameter::Header { parameter_data, .. } => (Location::Header, parameter_data, "Simple"),
        Parameter::Query { .. } => return planned_query(param, components),
        Parameter::Cookie { .. } => return None,
    };
    Some(Query {
        location,
        name: data.name.clone(),
        wire: wire_name(data).to_owned(),
        style: Some(Style {
            variant,
            // `explode` defaults to false in every path and header style.
            explode: data.explode.unwrap_or(false),
        }),
    })
}

/// The name `data` goes out under: its own, unless normalization renamed it.
pub(crate) fn wire_name(data: &openapiv3::ParameterData) -> &str {
    data.extensions
        .get(WIRE_NAME_EXTENSION)
        .and_then(serde_json::Value::as_str)
        .unwrap_or(&data.name)
}

/// [`planned`] of a query parameter.
fn planned_query(param: &Parameter, components: &Components) -> Option<Query> {
    let Parameter::Query {
        parameter_data,
        style,
        ..
    } = param
    else {
        return None;
    };
    let (style, default_explode) = match style {
        QueryStyle::Form => ("Form", true),
        QueryStyle::SpaceDelimited => ("SpaceDelimited", false),
        QueryStyle::PipeDelimited => ("PipeDelimited", false),
        QueryStyle::DeepObject => ("DeepObject", false),
    };
    let explode = parameter_data.explode.unwrap_or(default_explode);
    let json = parameter_data
        .extensions
        .get(JSON_PARAMETER_EXTENSION)
        .and_then(serde_json::Value::as_bool)
        == Some(true);
    let structured = match &parameter_data.format {
        ParameterSchemaOrContent::Schema(schema) => not_flat(schema, components, 0),
        ParameterSchemaOrContent::Content(_) => false,
    };
    let style = if json {
        Some(Style {
            variant: "Json",
            explode: false,
        })
    } else {
        (style != "Form" || !explode || structured).then_some(Style {
            variant: style,
            explode,
        })
    };
    let name = &parameter_data.name;
    let wire = wire_name(parameter_data);
    (style.is_some() || wire != name).then(|| Query {
        location: Location::Query,
        name: name.clone(),
        wire: wire.to_owned(),
        style,
    })
}

/// Whether values of the schema are objects, or arrays of objects or
/// arrays: what `serde_urlencoded` does not write as exploded `form`.
fn not_flat(schema: &ReferenceOr<Schema>, components: &Components, depth: usize) -> bool {
    let Some(schema) = resolve_schema(schema, components, depth) else {
        return false;
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.items.as_ref().is_some_and(|items| {
            let items = items.clone().unbox();
            is_object(&items, components, depth + 1) || is_array(&items, components, depth + 1)
        }),
        _ => is_object_schema(schema, components, depth),
    }
}

fn is_object(schema: &ReferenceOr<Schema>, components: &Components, depth: usize) -> bool {
    resolve_schema(schema, components, depth)
        .is_some_and(|s| is_object_schema(s, components, depth))
}

fn is_array(schema: &ReferenceOr<Schema>, components: &Components, depth: usize) -> bool {
    resolve_schema(schema, components, depth)
        .is_some_and(|s| matches!(s.schema_kind, SchemaKind::Type(Type::Array(_))))
}

fn is_object_schema(schema: &Schema, components: &Components, depth: usize) -> bool {
    let any_branch = |branches: &[ReferenceOr<Schema>]| {
        branches.iter().any(|b| is_object(b, components, depth + 1))
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => true,
        SchemaKind::AllOf { all_of } => any_branch(all_of),
        SchemaKind::OneOf { one_of } => any_branch(one_of),
        SchemaKind::AnyOf { any_of } => any_branch(any_of),
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("object")
                || !any.properties.is_empty()
                || any.additional_properties.is_some()
                || any_branch(&any.all_of)
                || any_branch(&any.one_of)
                || any_branch(&any.any_of)
        }
        _ => false,
    }
}

/// A schema or the component it names; `None` past a depth that only a
/// cycle of references reaches.
fn resolve_schema<'a>(
    schema: &'a ReferenceOr<Schema>,
    components: &'a Components,
    depth: usize,
) -> Option<&'a Schema> {
    let mut schema = schema;
    for _ in depth..16 {
        match schema {
            ReferenceOr::Item(s) => return Some(s),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/")?;
                schema = components.schemas.get(name)?;
            }
        }
    }
    None
}

pub(crate) fn resolve_parameter<'a>(
    param: &'a ReferenceOr<Parameter>,
    components: &'a Components,
) -> Option<&'a Parameter> {
    match param {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            components.parameters.get(name)?.as_item()
        }
    }
}

/// Every query parameter of `api` as `style: form` and every path one as
/// `style: simple`, the only styles progenitor accepts.
fn as_form(api: &mut OpenAPI) {
    let form = |param: &mut ReferenceOr<Parameter>| match param {
        ReferenceOr::Item(Parameter::Query { style, .. }) => *style = QueryStyle::Form,
        ReferenceOr::Item(Parameter::Path { style, .. }) => *style = PathStyle::Simple,
        _ => {}
    };
    if let Some(components) = api.components.as_mut() {
        components.parameters.values_mut().for_each(form);
    }
    for item in api.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        item.parameters.iter_mut().for_each(form);
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for op in ops.into_iter().flatten() {
            op.parameters.iter_mut().for_each(form);
        }
    }
}
