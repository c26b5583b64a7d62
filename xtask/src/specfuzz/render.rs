//! A [`SpecModel`] → an OpenAPI 3.0.3 document (a JSON value).
//!
//! Everything that would make the document invalid is settled here, so that
//! the strategies can stay free: names are fitted to their role's character
//! set, duplicates that the specification forbids (two components or
//! parameters of one name, two equal operationIds, two paths of one
//! template) are dropped, `$ref`s resolve to a component that exists (or
//! become a plain schema when there is none), every templated path segment
//! is declared as a required path parameter of each operation, styles are
//! only those the location and the schema allow.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::model::{
    Additional, Body, BodyUse, Combinator, Kind, Lit, Loc, METHODS, Media, Nm, Node, Op, Param,
    ParamUse, PathItem, Resp, RespUse, STATUSES, Seg, SpecModel,
};

/// A path's templated parameters: name, schema, style pick.
type Template<'a> = Vec<(String, &'a Node, Option<u8>)>;

/// How deep `fitting` follows `$ref`s and nesting: recursive schemas end.
const FITTING_DEPTH: usize = 4;

/// What a document may hold besides what always does: each can be left
/// out while a known failure class it causes is being fixed, so that it
/// does not hide others.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    /// `default`s and `example`s that need not fit their schema (3.0 says
    /// a default MUST fit; real documents break that all the time).
    pub loose_values: bool,
    /// Path parameters in `label` and `matrix` style.
    pub path_styles: bool,
    /// Path and header parameters of array and object type.
    pub composite_params: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            loose_values: true,
            path_styles: true,
            composite_params: true,
        }
    }
}

pub(crate) fn render(model: &SpecModel, options: Options) -> Value {
    Renderer::new(model, options).document()
}

struct Renderer<'a> {
    model: &'a SpecModel,
    options: Options,
    schemas: Vec<(String, &'a Node)>,
    parameters: Vec<(String, &'a Param)>,
    bodies: Vec<(String, &'a Body)>,
    responses: Vec<(String, &'a Resp)>,
}

/// The first of each component name, fitted; later ones of the same name
/// are left out (a map cannot hold both).
fn components<'a, T>(model: &SpecModel, items: &'a [(Nm, T)]) -> Vec<(String, &'a T)> {
    let mut seen = HashSet::new();
    items
        .iter()
        .map(|(n, item)| (fit_component(word(model, *n)), item))
        .filter(|(name, _)| seen.insert(name.clone()))
        .collect()
}

fn word(model: &SpecModel, n: Nm) -> &str {
    if model.vocab.is_empty() {
        return "x";
    }
    &model.vocab[n as usize % model.vocab.len()]
}

/// Component names must match `^[a-zA-Z0-9.\-_]+$`.
pub(super) fn fit_component(name: &str) -> String {
    let fitted: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if fitted.is_empty() {
        "_".into()
    } else {
        fitted
    }
}

/// Header and cookie names are HTTP tokens (RFC 9110).
pub(super) fn fit_token(name: &str) -> String {
    let fitted: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if fitted.is_empty() {
        "x".into()
    } else {
        fitted
    }
}

/// Path template names: what RFC 6570 allows in a variable name, and `-`.
fn fit_path_name(name: &str) -> String {
    let fitted: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if fitted.is_empty() {
        "p".into()
    } else {
        fitted
    }
}

/// A literal path segment of unreserved characters; never a dot segment,
/// which URL normalization would remove.
fn fit_literal(name: &str) -> Option<String> {
    let fitted: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match fitted.as_str() {
        "" => None,
        "." | ".." => Some(format!("_{fitted}")),
        _ => Some(fitted),
    }
}

fn media_type(m: Media) -> &'static str {
    match m {
        Media::Json => "application/json",
        Media::VendorJson => "application/vnd.api+json",
        Media::Form => "application/x-www-form-urlencoded",
        Media::Multipart => "multipart/form-data",
        Media::Text => "text/plain",
        Media::Binary => "application/octet-stream",
    }
}

fn is_decorated(n: &Node) -> bool {
    n.nullable || n.default.is_some() || n.example.is_some() || n.access != 0
}

impl<'a> Renderer<'a> {
    fn new(model: &'a SpecModel, options: Options) -> Self {
        Renderer {
            model,
            options,
            schemas: components(model, &model.schemas),
            parameters: components(model, &model.parameters),
            bodies: components(model, &model.bodies),
            responses: components(model, &model.responses),
        }
    }

    fn word(&self, n: Nm) -> &'a str {
        word(self.model, n)
    }

    fn document(&self) -> Value {
        let mut paths = Map::new();
        let mut shapes = HashSet::new();
        let mut ids = HashSet::new();
        for item in &self.model.paths {
            let (path, shape, template) = self.path(item);
            // `/a/{x}` and `/a/{y}` are one path to OpenAPI: keep the first.
            if !shapes.insert(shape) {
                continue;
            }
            paths.insert(path, self.path_item(item, &template, &mut ids));
        }
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "specfuzz", "version": "1.0.0"},
            "paths": paths,
        });
        let mut components = Map::new();
        let sections = [
            (
                "schemas",
                self.schemas
                    .iter()
                    .enumerate()
                    .map(|(i, (n, s))| (n.clone(), self.schema_in(s, Some(i))))
                    .collect::<Map<_, _>>(),
            ),
            (
                "parameters",
                self.parameters
                    .iter()
                    .map(|(n, p)| (n.clone(), self.param(p)))
                    .collect(),
            ),
            (
                "requestBodies",
                self.bodies
                    .iter()
                    .map(|(n, b)| (n.clone(), self.body(b)))
                    .collect(),
            ),
            (
                "responses",
                self.responses
                    .iter()
                    .map(|(n, r)| (n.clone(), self.response(r)))
                    .collect(),
            ),
        ];
        for (key, section) in sections {
            if !section.is_empty() {
                components.insert(key.into(), Value::Object(section));
            }
        }
        if !components.is_empty() {
            doc["components"] = Value::Object(components);
        }
        doc
    }

    /// The path, its shape (template names blanked) and its template
    /// parameters in order, each once.
    fn path(&self, item: &'a PathItem) -> (String, String, Template<'a>) {
        let mut path = String::new();
        let mut shape = String::new();
        let mut template = Vec::new();
        let mut names = HashSet::new();
        for seg in &item.segments {
            match seg {
                Seg::Literal(n) => {
                    if let Some(lit) = fit_literal(self.word(*n)) {
                        path.push('/');
                        path.push_str(&lit);
                        shape.push('/');
                        shape.push_str(&lit);
                    }
                }
                Seg::Param(n, schema, style) => {
                    let name = fit_path_name(self.word(*n));
                    // A name templated twice in one path is invalid.
                    if names.insert(name.clone()) {
                        path.push_str(&format!("/{{{name}}}"));
                        shape.push_str("/{}");
                        template.push((name, schema, *style));
                    }
                }
            }
        }
        if path.is_empty() {
            path.push('/');
            shape.push('/');
        }
        (path, shape, template)
    }

    fn path_item(
        &self,
        item: &'a PathItem,
        template: &Template<'a>,
        ids: &mut HashSet<String>,
    ) -> Value {
        let mut out = Map::new();
        let shared = self.params(&item.shared, &mut HashSet::new());
        if !shared.is_empty() {
            out.insert("parameters".into(), Value::Array(shared));
        }
        for op in &item.operations {
            let method = METHODS[op.method as usize % METHODS.len()];
            if out.contains_key(method) {
                continue;
            }
            out.insert(method.into(), self.operation(op, method, template, ids));
        }
        Value::Object(out)
    }

    fn operation(
        &self,
        op: &'a Op,
        method: &str,
        template: &Template<'a>,
        ids: &mut HashSet<String>,
    ) -> Value {
        let mut out = Map::new();
        if let Some(id) = op.id.map(|n| self.word(n))
            && !id.is_empty()
            && ids.insert(id.to_owned())
        {
            out.insert("operationId".into(), id.into());
        }
        let mut seen: HashSet<(String, &'static str)> = HashSet::new();
        let mut params: Vec<Value> = template
            .iter()
            .map(|(name, schema, style)| {
                seen.insert((name.clone(), "path"));
                let mut p = json!({
                    "name": name,
                    "in": "path",
                    "required": true,
                    "schema": self.param_schema(Loc::Path, schema),
                });
                if let Some(style) = style
                    .filter(|_| self.options.path_styles)
                    .and_then(|s| pick_style("path", schema, s))
                {
                    p["style"] = style.into();
                }
                p
            })
            .collect();
        params.extend(self.params(&op.params, &mut seen));
        if !params.is_empty() {
            out.insert("parameters".into(), Value::Array(params));
        }
        // Bodies of GET, HEAD, DELETE and OPTIONS have no defined meaning.
        if let Some(body) = &op.body
            && matches!(method, "post" | "put" | "patch")
        {
            let body = match body {
                BodyUse::Inline(b) => self.body(b),
                BodyUse::Ref(i) => match self.bodies.len() {
                    0 => json!({"content": {"application/json": {"schema": {"type": "string"}}}}),
                    len => json!({
                        "$ref": format!("#/components/requestBodies/{}", pointer_escape(&self.bodies[*i as usize % len].0))
                    }),
                },
            };
            out.insert("requestBody".into(), body);
        }
        let mut responses = Map::new();
        for (status, r) in &op.responses {
            let status = STATUSES[*status as usize % STATUSES.len()];
            if responses.contains_key(status) {
                continue;
            }
            let r = match r {
                RespUse::Inline(r) => self.response(r),
                RespUse::Ref(i) => match self.responses.len() {
                    0 => json!({"description": "none"}),
                    len => json!({
                        "$ref": format!("#/components/responses/{}", pointer_escape(&self.responses[*i as usize % len].0))
                    }),
                },
            };
            responses.insert(status.into(), r);
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// Parameters, each (name, location) once, counting those in `seen`.
    fn params(
        &self,
        uses: &'a [ParamUse],
        seen: &mut HashSet<(String, &'static str)>,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        for u in uses {
            let (param, value) = match u {
                ParamUse::Inline(p) => (p, self.param(p)),
                ParamUse::Ref(i) => {
                    let Some((name, p)) = self
                        .parameters
                        .get(*i as usize % self.parameters.len().max(1))
                    else {
                        continue;
                    };
                    (
                        *p,
                        json!({"$ref": format!("#/components/parameters/{}", pointer_escape(name))}),
                    )
                }
            };
            if seen.insert((self.param_name(param), location(param.location))) {
                out.push(value);
            }
        }
        out
    }

    fn param_name(&self, p: &Param) -> String {
        let word = self.word(p.name);
        match p.location {
            Loc::Query if !word.is_empty() => word.to_owned(),
            Loc::Query => "q".into(),
            Loc::Header | Loc::Cookie => fit_token(word),
            Loc::Path => fit_path_name(word),
        }
    }

    fn param(&self, p: &'a Param) -> Value {
        let loc = location(p.location);
        let mut out = json!({
            "name": self.param_name(p),
            "in": loc,
            "schema": self.param_schema(p.location, &p.schema),
        });
        if p.required {
            out["required"] = true.into();
        }
        if let Some(style) = p.style.and_then(|s| pick_style(loc, &p.schema, s)) {
            out["style"] = style.into();
        }
        if let Some(explode) = p.explode {
            out["explode"] = explode.into();
        }
        if let Some(example) = p
            .example
            .as_ref()
            .and_then(|e| self.lit(e, &p.schema, None))
        {
            out["example"] = example;
        }
        out
    }

    fn body(&self, b: &'a Body) -> Value {
        let mut content = Map::new();
        for (media, schema) in &b.contents {
            let key = media_type(*media);
            if content.contains_key(key) {
                continue;
            }
            content.insert(
                key.into(),
                json!({"schema": self.media_schema(*media, schema)}),
            );
        }
        let mut out = json!({"content": content});
        if b.required {
            out["required"] = true.into();
        }
        out
    }

    fn media_schema(&self, media: Media, schema: &'a Node) -> Value {
        match media {
            Media::Json | Media::VendorJson => self.schema(schema),
            Media::Text => json!({"type": "string"}),
            Media::Binary => json!({"type": "string", "format": "binary"}),
            // A form's parts are an object's properties: a scalar is
            // wrapped as one part.
            Media::Form | Media::Multipart => match &schema.kind {
                Kind::Object { .. } | Kind::Ref(_) | Kind::Compose(..) => self.schema(schema),
                _ => {
                    let mut props = Map::new();
                    props.insert(self.word(0).to_owned(), self.schema(schema));
                    json!({"type": "object", "properties": props})
                }
            },
        }
    }

    fn response(&self, r: &'a Resp) -> Value {
        let mut out = json!({"description": "a response"});
        let mut content = Map::new();
        for (media, schema) in &r.content {
            let key = media_type(*media);
            if matches!(media, Media::Form | Media::Multipart) || content.contains_key(key) {
                continue;
            }
            content.insert(
                key.into(),
                json!({"schema": self.media_schema(*media, schema)}),
            );
        }
        if !content.is_empty() {
            out["content"] = Value::Object(content);
        }
        let mut headers = Map::new();
        for (name, schema) in &r.headers {
            headers
                .entry(fit_token(self.word(*name)))
                .or_insert_with(|| json!({"schema": self.param_schema(Loc::Header, schema)}));
        }
        if !headers.is_empty() {
            out["headers"] = Value::Object(headers);
        }
        out
    }

    /// A parameter's or header's schema; a string where composite ones
    /// are left out.
    fn param_schema(&self, location: Loc, n: &'a Node) -> Value {
        let composite = matches!(
            n.kind,
            Kind::Array(_) | Kind::Object { .. } | Kind::Compose(..) | Kind::Ref(_)
        );
        if composite
            && !self.options.composite_params
            && matches!(location, Loc::Path | Loc::Header)
        {
            return json!({"type": "string"});
        }
        self.schema(n)
    }

    /// A `$ref` to component `i` (modulo those there are, or modulo
    /// `below`, the components a schema may be made of: see `schema_in`).
    fn schema_ref(&self, i: u8, below: Option<usize>) -> Option<(Value, &'a Node, usize)> {
        let len = below.unwrap_or(self.schemas.len()).min(self.schemas.len());
        if len == 0 {
            return None;
        }
        let index = i as usize % len;
        let (name, node) = &self.schemas[index];
        Some((
            json!({"$ref": format!("#/components/schemas/{}", pointer_escape(name))}),
            node,
            index,
        ))
    }

    fn schema(&self, n: &'a Node) -> Value {
        self.schema_in(n, None)
    }

    /// A schema; `below`, for a component's own schema, limits what it is
    /// made of (its root and the members of its compositions, not its
    /// properties or items) to the components before it: a schema that is
    /// itself, directly or through others, has no meaning.
    fn schema_in(&self, n: &'a Node, below: Option<usize>) -> Value {
        let mut o = Map::new();
        match &n.kind {
            Kind::Ref(i) => match self.schema_ref(*i, below) {
                // Siblings of a `$ref` are ignored in 3.0: a decorated
                // reference is spelled as a one-member `allOf`.
                Some((r, ..)) if is_decorated(n) => {
                    o.insert("allOf".into(), json!([r]));
                }
                Some((r, ..)) => return r,
                None => {
                    o.insert("type".into(), "string".into());
                }
            },
            Kind::Str {
                format,
                values,
                pattern,
                max_length,
            } => {
                o.insert("type".into(), "string".into());
                let values = self.string_values(values);
                if values.is_empty() {
                    // A format, or bounds the fitting value `a` meets.
                    if let Some(f) = format {
                        o.insert("format".into(), (*f).into());
                    } else {
                        if *pattern {
                            o.insert("pattern".into(), "^[A-Za-z0-9_]*$".into());
                        }
                        if let Some(m) = max_length {
                            o.insert("maxLength".into(), (*m).max(1).into());
                        }
                    }
                } else {
                    let mut values: Vec<Value> = values.into_iter().map(Value::from).collect();
                    if n.nullable {
                        values.push(Value::Null);
                    }
                    o.insert("enum".into(), Value::Array(values));
                }
            }
            Kind::Int {
                format,
                values,
                minimum,
            } => {
                o.insert("type".into(), "integer".into());
                if let Some(f) = format {
                    o.insert("format".into(), (*f).into());
                }
                if let Some(m) = minimum {
                    o.insert("minimum".into(), (*m).into());
                }
                let values = int_values(values, *format, *minimum);
                if !values.is_empty() {
                    let mut values: Vec<Value> = values.into_iter().map(Value::from).collect();
                    if n.nullable {
                        values.push(Value::Null);
                    }
                    o.insert("enum".into(), Value::Array(values));
                }
            }
            Kind::Num { format } => {
                o.insert("type".into(), "number".into());
                if let Some(f) = format {
                    o.insert("format".into(), (*f).into());
                }
            }
            Kind::Bool => {
                o.insert("type".into(), "boolean".into());
            }
            Kind::Any => {}
            Kind::Array(items) => {
                o.insert("type".into(), "array".into());
                o.insert("items".into(), self.schema(items));
            }
            Kind::Object { props, additional } => {
                o.insert("type".into(), "object".into());
                let mut properties = Map::new();
                let mut required = Vec::new();
                for p in props {
                    let name = self.word(p.name);
                    if properties.contains_key(name) {
                        continue;
                    }
                    properties.insert(name.to_owned(), self.schema(&p.schema));
                    if p.required {
                        required.push(Value::from(name));
                    }
                }
                if !properties.is_empty() {
                    o.insert("properties".into(), Value::Object(properties));
                }
                if !required.is_empty() {
                    o.insert("required".into(), Value::Array(required));
                }
                match additional {
                    Additional::Absent => {}
                    Additional::True => {
                        o.insert("additionalProperties".into(), true.into());
                    }
                    Additional::False => {
                        o.insert("additionalProperties".into(), false.into());
                    }
                    Additional::Schema(s) => {
                        o.insert("additionalProperties".into(), self.schema(s));
                    }
                }
            }
            Kind::Compose(c, members) => {
                let key = match c {
                    Combinator::All => "allOf",
                    Combinator::One => "oneOf",
                    Combinator::Any => "anyOf",
                };
                o.insert(
                    key.into(),
                    members.iter().map(|m| self.schema_in(m, below)).collect(),
                );
            }
        }
        if n.nullable {
            o.insert("nullable".into(), true.into());
        }
        match n.access {
            1 => {
                o.insert("readOnly".into(), true.into());
            }
            2 => {
                o.insert("writeOnly".into(), true.into());
            }
            _ => {}
        }
        if let Some(d) = n.default.as_ref().and_then(|d| self.lit(d, n, below)) {
            o.insert("default".into(), d);
        }
        if let Some(e) = n.example.as_ref().and_then(|e| self.lit(e, n, below)) {
            o.insert("example".into(), e);
        }
        Value::Object(o)
    }

    fn string_values(&self, values: &[Nm]) -> Vec<String> {
        let mut seen = HashSet::new();
        values
            .iter()
            .map(|n| self.word(*n).to_owned())
            .filter(|w| seen.insert(w.clone()))
            .collect()
    }

    /// The value of a `default` or `example`; none where no value is
    /// sure to fit (see `fitting`).
    fn lit(&self, lit: &Lit, n: &'a Node, below: Option<usize>) -> Option<Value> {
        match lit {
            Lit::Any(v) if self.options.loose_values => Some(v.clone()),
            _ => self.fitting(n, 0, below),
        }
    }

    /// A value the schema accepts, when one is sure to: none for a `oneOf`
    /// (its members may overlap), an `allOf` whose members disagree, or a
    /// recursion through required properties deeper than `FITTING_DEPTH`.
    /// `below` is the root's limit on what it is made of (`schema_in`).
    fn fitting(&self, n: &'a Node, depth: usize, below: Option<usize>) -> Option<Value> {
        if depth > FITTING_DEPTH {
            return None;
        }
        Some(match &n.kind {
            Kind::Ref(i) => match self.schema_ref(*i, below) {
                // The component as rendered: under its own limit.
                Some((_, target, index)) => self.fitting(target, depth + 1, Some(index))?,
                None => "a".into(),
            },
            Kind::Str { format, values, .. } => {
                if let Some(v) = self.string_values(values).into_iter().next() {
                    return Some(v.into());
                }
                match format {
                    Some("date-time") => "2024-01-02T03:04:05Z".into(),
                    Some("date") => "2024-01-02".into(),
                    Some("uuid") => "00000000-0000-0000-0000-000000000000".into(),
                    Some("byte") => "AA==".into(),
                    Some("email") => "a@example.com".into(),
                    Some("uri") => "https://example.com/".into(),
                    Some("ipv4") => "127.0.0.1".into(),
                    _ => "a".into(),
                }
            }
            Kind::Int {
                format,
                values,
                minimum,
            } => match int_values(values, *format, *minimum).first() {
                Some(v) => (*v).into(),
                None => minimum.unwrap_or(0).max(0).into(),
            },
            Kind::Num { .. } => 1.5.into(),
            Kind::Bool => true.into(),
            Kind::Any => json!({}),
            // Empty fits every array schema here (none has `minItems`).
            Kind::Array(items) => match self.fitting(items, depth + 1, None) {
                Some(item) => json!([item]),
                None => json!([]),
            },
            Kind::Object { props, .. } => {
                let mut out = Map::new();
                let mut seen = HashSet::new();
                for p in props {
                    let name = self.word(p.name);
                    // The first property of a name is the one rendered.
                    if !seen.insert(name) || !p.required {
                        continue;
                    }
                    out.insert(name.to_owned(), self.fitting(&p.schema, depth + 1, None)?);
                }
                Value::Object(out)
            }
            // One value for two members means reading both (closed
            // objects, a property of two schemas): only one is fitted.
            Kind::Compose(Combinator::All, members) => {
                let mut members = members.iter().filter(|m| !matches!(m.kind, Kind::Any));
                match (members.next(), members.next()) {
                    (Some(only), None) => self.fitting(only, depth + 1, below)?,
                    (None, _) => json!({}),
                    _ => return None,
                }
            }
            Kind::Compose(Combinator::One, _) => return None,
            Kind::Compose(Combinator::Any, members) => {
                self.fitting(members.first()?, depth + 1, below)?
            }
        })
    }
}

/// The enum values an integer schema can hold: distinct, within its
/// minimum and its format's range (as `uint8`'s normalization reads it).
fn int_values(values: &[i64], format: Option<&str>, minimum: Option<i64>) -> Vec<i64> {
    let floor = match format {
        Some(f) if f.starts_with("uint") => 0,
        _ => i64::MIN,
    }
    .max(minimum.unwrap_or(i64::MIN));
    let mut seen = HashSet::new();
    values
        .iter()
        .copied()
        .filter(|v| *v >= floor && seen.insert(*v))
        .collect()
}

fn location(l: Loc) -> &'static str {
    match l {
        Loc::Path => "path",
        Loc::Query => "query",
        Loc::Header => "header",
        Loc::Cookie => "cookie",
    }
}

/// A style the location allows for this schema, if `pick` names one.
fn pick_style(location: &str, schema: &Node, pick: u8) -> Option<&'static str> {
    let composite = matches!(schema.kind, Kind::Array(_) | Kind::Object { .. });
    let object = matches!(schema.kind, Kind::Object { .. });
    let allowed: &[&'static str] = match location {
        "path" => &["simple", "label", "matrix"],
        "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        "header" => &["simple"],
        _ => &["form"],
    };
    let style = allowed[pick as usize % allowed.len()];
    let fits = match style {
        "spaceDelimited" | "pipeDelimited" => composite,
        "deepObject" => object,
        _ => true,
    };
    fits.then_some(style)
}

/// A component name as one token of a JSON pointer (RFC 6901).
fn pointer_escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
