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
//! `to_string()`: an array (`Vec` has no `Display`) or an object (typify
//! writes none) does not compile. They go out in OpenAPI's `simple`
//! style instead (`a,b,c`; `k1,v1,k2,v2`, or `k1=v1,k2=v2` exploded), by
//! the runtime's `path_segment` and `header_value`.
//!
//! One plan holds every such fact of each parameter of every location, so
//! that the one rewrite of the request building (`builders/query.rs`) and
//! the one of the mocks (`mock_queries.rs`) send and match a parameter
//! that is renamed or styled under its wire name, in its style.

use std::collections::{BTreeMap, HashMap};

use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema,
    SchemaKind, Type,
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
    /// right, under the wrong name. Path and header parameters only have
    /// `Simple`.
    pub(crate) style: Option<Style>,
}

/// How the runtime's `append_query` writes a query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Style {
    /// The runtime's `Style` variant: `Form`, `SpaceDelimited`,
    /// `PipeDelimited`, `DeepObject`, or `Json` (a `content` parameter);
    /// `Simple` for a path or header parameter (not a `Style` variant).
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

/// The [`Query`] of a parameter progenitor would not write right.
fn planned(param: &Parameter, components: &Components) -> Option<Query> {
    let (location, data) = match param {
        Parameter::Path { parameter_data, .. } => (Location::Path, parameter_data),
        Parameter::Header { parameter_data, .. } => (Location::Header, parameter_data),
        Parameter::Query { .. } => return planned_query(param, components),
        Parameter::Cookie { .. } => return None,
    };
    let structured = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            is_object(schema, components, 0) || is_array(schema, components, 0)
        }
        ParameterSchemaOrContent::Content(_) => false,
    };
    let style = structured.then_some(Style {
        variant: "Simple",
        // `simple` is the only style of both; `explode` defaults to false.
        explode: data.explode.unwrap_or(false),
    });
    let wire = wire_name(data);
    (style.is_some() || wire != data.name).then(|| Query {
        location,
        name: data.name.clone(),
        wire: wire.to_owned(),
        style,
    })
}

/// The name `data` goes out under: its own, unless normalization renamed it.
fn wire_name(data: &openapiv3::ParameterData) -> &str {
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

fn resolve_parameter<'a>(
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

/// Every query parameter of `api` as `style: form`, the only style
/// progenitor accepts.
fn as_form(api: &mut OpenAPI) {
    let form = |param: &mut ReferenceOr<Parameter>| {
        if let ReferenceOr::Item(Parameter::Query { style, .. }) = param {
            *style = QueryStyle::Form;
        }
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
