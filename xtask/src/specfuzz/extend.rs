//! What `--with PART` adds to a rendered document: constructs of real
//! specs that the model does not build, each applied to the document as a
//! rewrite that keeps it valid.
//!
//! The rewrites draw from their own RNG, seeded from the batch's seed and
//! the document's index, so a document without `--with` is the same as
//! before, and `--with` documents are the same on every run (a shrunk
//! model is extended again with the same draws).
//!
//! - `openapi31`: the document becomes 3.1.0: `nullable` becomes a `type`
//!   list with `"null"` (or a `oneOf` with `{type: "null"}` where there is
//!   no type), `example` becomes `examples`, a one-value `enum` may become
//!   `const`, `exclusiveMinimum: true` becomes a number, a `$ref` may keep
//!   siblings (`description`), and a `webhooks` entry may appear.
//! - `bounds`: string, number, array and object bounds (`minLength`,
//!   `maximum`, `exclusiveMaximum`, `multipleOf`, `minItems`,
//!   `uniqueItems`, `maxProperties`, …) that agree with each other and
//!   with the schema's enum.
//! - `discriminators`: a `oneOf`/`anyOf` of `$ref`s to object components
//!   gets a `discriminator` (its property added to every member as a
//!   required string), sometimes with a `mapping`; an object component may
//!   become the base of an `allOf` family with a discriminator.
//! - `security`: security schemes of every kind, named from the
//!   vocabulary, required document-wide and overridden per operation
//!   (`[]`, `{}`, two schemes together).
//! - `servers`: servers with variables, relative URLs, per path item.
//! - `content-params`: parameters whose schema is given as `content`.
//! - `not`: a `not` beside a typed schema that its type already excludes.
//! - `callbacks-links`: callbacks on operations (inline and by reference)
//!   and links on responses.
//! - `media`: answers in media types beside JSON (`application/problem+json`
//!   error bodies, XML, CSV, images, `*/*`), two media types for one
//!   answer, and `encoding` of form and multipart bodies.
//! - `extensions`: `x-` keys on every object, the vendor ones generators
//!   read (`x-enum-varnames`, `x-nullable`, `x-go-name`, `x-internal`)
//!   among them.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use serde_json::{Map, Value, json};

/// A construct `--with` can add.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Construct {
    Openapi31,
    Bounds,
    Discriminators,
    Security,
    Servers,
    ContentParams,
    Not,
    CallbacksLinks,
    Media,
    Extensions,
}

impl Construct {
    pub(crate) const ALL: [Construct; 10] = [
        Construct::Openapi31,
        Construct::Bounds,
        Construct::Discriminators,
        Construct::Security,
        Construct::Servers,
        Construct::ContentParams,
        Construct::Not,
        Construct::CallbacksLinks,
        Construct::Media,
        Construct::Extensions,
    ];
}

/// Applies `with` to `doc`, drawing from an RNG of `(seed, index)`.
pub(crate) fn apply(doc: &mut Value, with: &[Construct], seed: u64, index: u32, vocab: &[String]) {
    if with.is_empty() {
        return;
    }
    let mut x = Extender {
        rng: Pcg64::seed_from_u64(seed.rotate_left(17) ^ u64::from(index) ^ 0x05ee_d0fe_7e4d),
        vocab,
    };
    // Order matters: discriminators add properties that bounds and 3.1
    // then treat like any other; 3.1 rewrites last, as a spec author
    // would have written the whole document in it.
    for construct in Construct::ALL {
        if !with.contains(&construct) {
            continue;
        }
        match construct {
            Construct::Discriminators => x.discriminators(doc),
            Construct::Bounds => each_schema(doc, &mut |s| x.bounds(s)),
            Construct::Not => each_schema(doc, &mut |s| x.not(s)),
            Construct::CallbacksLinks => x.callbacks_links(doc),
            Construct::Media => x.media(doc),
            Construct::Extensions => {
                each_schema(doc, &mut |s| x.schema_extensions(s));
                x.document_extensions(doc);
            }
            Construct::ContentParams => x.content_params(doc),
            Construct::Security => x.security(doc),
            Construct::Servers => x.servers(doc),
            Construct::Openapi31 => {}
        }
    }
    if with.contains(&Construct::Openapi31) {
        x.openapi31(doc);
    }
}

struct Extender<'v> {
    rng: Pcg64,
    vocab: &'v [String],
}

impl Extender<'_> {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn word(&mut self) -> String {
        if self.vocab.is_empty() {
            return "x".to_owned();
        }
        self.vocab[self.rng.random_range(0..self.vocab.len())].clone()
    }

    /// A vocabulary word fitted to a component name.
    fn component_word(&mut self) -> String {
        super::render::fit_component(&self.word())
    }

    /// A vocabulary word fitted to an HTTP token (header, cookie name).
    fn token_word(&mut self) -> String {
        super::render::fit_token(&self.word())
    }

    fn bounds(&mut self, s: &mut Map<String, Value>) {
        if s.contains_key("enum") || !self.chance(0.4) {
            return;
        }
        match s.get("type").and_then(Value::as_str) {
            Some("string") if !s.contains_key("format") => {
                let min = self.rng.random_range(0..3u64);
                s.insert("minLength".into(), min.into());
                if self.chance(0.5) {
                    let max = min + self.rng.random_range(1..40u64);
                    s.insert("maxLength".into(), max.into());
                }
            }
            Some("integer") => {
                let min: i64 = self.rng.random_range(-5..5);
                s.insert("minimum".into(), min.into());
                if self.chance(0.5) {
                    s.insert(
                        "maximum".into(),
                        (min + self.rng.random_range(1..1000i64)).into(),
                    );
                }
                if self.chance(0.3) {
                    s.insert("exclusiveMinimum".into(), true.into());
                }
                if self.chance(0.3) {
                    s.insert("multipleOf".into(), self.rng.random_range(1..4i64).into());
                }
            }
            Some("number") => {
                s.insert("minimum".into(), json!(-0.5));
                if self.chance(0.5) {
                    s.insert("maximum".into(), json!(1e6));
                    s.insert("exclusiveMaximum".into(), true.into());
                }
                if self.chance(0.3) {
                    s.insert("multipleOf".into(), json!(0.25));
                }
            }
            Some("array") => {
                let min = self.rng.random_range(0..2u64);
                s.insert("minItems".into(), min.into());
                if self.chance(0.5) {
                    s.insert("maxItems".into(), (min + 5).into());
                }
                if self.chance(0.3) {
                    s.insert("uniqueItems".into(), true.into());
                }
            }
            Some("object") => {
                if self.chance(0.5) {
                    s.insert("minProperties".into(), 0.into());
                }
                s.insert("maxProperties".into(), 50.into());
            }
            _ => {}
        }
    }

    fn not(&mut self, s: &mut Map<String, Value>) {
        if !self.chance(0.2) {
            return;
        }
        let excluded = match s.get("type").and_then(Value::as_str) {
            Some("string") => "integer",
            Some("integer" | "number") => "string",
            Some("object") => "array",
            Some("array") => "object",
            Some("boolean") => "number",
            _ => return,
        };
        s.insert("not".into(), json!({"type": excluded}));
    }

    /// `oneOf`/`anyOf`s of references to object components, told apart by
    /// a property every member is given; and `allOf` families.
    fn discriminators(&mut self, doc: &mut Value) {
        let Some(schemas) = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
        else {
            return;
        };
        let is_object = |name: &str| {
            schemas
                .get(name)
                .is_some_and(|s| s.get("type").and_then(Value::as_str) == Some("object"))
        };
        // The unions, found first: adding properties changes the schemas.
        let mut unions: Vec<(String, Vec<String>)> = Vec::new();
        let mut index = 0usize;
        each_schema(doc, &mut |s| {
            index += 1;
            for key in ["oneOf", "anyOf"] {
                let Some(members) = s.get(key).and_then(Value::as_array) else {
                    continue;
                };
                let names: Option<Vec<String>> = members
                    .iter()
                    .map(|m| {
                        let r = m.get("$ref")?.as_str()?;
                        let name = r.strip_prefix("#/components/schemas/")?;
                        is_object(name).then(|| name.to_owned())
                    })
                    .collect();
                if let Some(names) = names.filter(|n| !n.is_empty()) {
                    s.insert("x-specfuzz-union".into(), index.into());
                    unions.push((index.to_string(), names));
                }
            }
        });
        let mut decided: Vec<(String, Option<String>)> = Vec::new();
        for (id, members) in &unions {
            let property = self.word();
            // Every member must be able to take the property as a string.
            let fits = members.iter().all(|m| {
                schemas[m]
                    .pointer(&format!("/properties/{}", escape(&property)))
                    .is_none_or(|p| p.get("type").and_then(Value::as_str) == Some("string"))
            });
            let chosen = (fits && self.chance(0.7)).then_some(property);
            if let Some(p) = &chosen {
                for m in members {
                    require_string(doc, m, p);
                }
            }
            decided.push((id.clone(), chosen));
        }
        let with_mapping = self.chance(0.5);
        each_schema(doc, &mut |s| {
            let Some(id) = s.remove("x-specfuzz-union") else {
                return;
            };
            let id = id.to_string();
            let Some((_, Some(property))) = decided.iter().find(|(i, _)| *i == id) else {
                return;
            };
            let mut discriminator = json!({"propertyName": property});
            if with_mapping {
                let refs: Vec<String> = ["oneOf", "anyOf"]
                    .iter()
                    .filter_map(|k| s.get(*k).and_then(Value::as_array))
                    .flatten()
                    .filter_map(|m| m.get("$ref").and_then(Value::as_str).map(str::to_owned))
                    .collect();
                let mapping: Map<String, Value> = refs
                    .iter()
                    .map(|r| {
                        let name = r.rsplit('/').next().unwrap_or(r);
                        (name.to_lowercase(), Value::from(r.as_str()))
                    })
                    .collect();
                discriminator["mapping"] = Value::Object(mapping);
            }
            s.insert("discriminator".into(), discriminator);
        });
        self.tagged_union(doc, &schemas);
        // An allOf family: a base object with a discriminator and a child
        // that extends it.
        let bases: Vec<String> = schemas.keys().filter(|n| is_object(n)).cloned().collect();
        if bases.is_empty() || !self.chance(0.5) {
            return;
        }
        let base = bases[self.rng.random_range(0..bases.len())].clone();
        let property = self.word();
        let fits = schemas[&base]
            .pointer(&format!("/properties/{}", escape(&property)))
            .is_none_or(|p| p.get("type").and_then(Value::as_str) == Some("string"));
        if !fits {
            return;
        }
        require_string(doc, &base, &property);
        let child = format!("{base}Child");
        let Some(all) = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        if all.contains_key(&child) {
            return;
        }
        if let Some(b) = all.get_mut(&base).and_then(Value::as_object_mut) {
            let mut mapping = Map::new();
            mapping.insert(
                child.to_lowercase(),
                format!("#/components/schemas/{child}").into(),
            );
            b.insert(
                "discriminator".into(),
                json!({"propertyName": property, "mapping": mapping}),
            );
        }
        all.insert(
            child.clone(),
            json!({"allOf": [
                {"$ref": format!("#/components/schemas/{base}")},
                {"type": "object", "properties": {"extra": {"type": "integer"}}},
            ]}),
        );
    }

    /// A new component: a `oneOf` of two or three object components, each
    /// given the tag property as a one-value `enum` (the pattern of most
    /// production specs), with or without a `mapping`; an operation at a
    /// path of its own answers it and takes it as its body.
    fn tagged_union(&mut self, doc: &mut Value, schemas: &Map<String, Value>) {
        let schemas = schemas.clone();
        if !self.chance(0.7) {
            return;
        }
        let mut members: Vec<String> = schemas
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("object"))
            .map(|(n, _)| n.clone())
            .take(self.rng.random_range(0..3))
            .collect();
        let property = self.word();
        let taken = members.iter().any(|m| {
            schemas[m]
                .pointer(&format!("/properties/{}", escape(&property)))
                .is_some()
        });
        let name = format!("{}Union", self.component_word());
        if taken || schemas.contains_key(&name) {
            return;
        }
        // Members of its own where the document has too few objects.
        let mut fresh = 0;
        while members.len() < 2 {
            fresh += 1;
            let member = format!("{name}Member{fresh}");
            let mut properties = Map::new();
            properties.insert(self.word(), json!({"type": "integer"}));
            if let Some(all) = doc
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
            {
                all.insert(
                    member.clone(),
                    json!({"type": "object", "properties": properties}),
                );
            } else if let Some(root) = doc.as_object_mut() {
                let components = root.entry("components").or_insert_with(|| json!({}));
                components["schemas"] =
                    json!({&member: {"type": "object", "properties": properties}});
            }
            members.push(member);
        }
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if schemas.contains_key(&name)
            || members.iter().any(|m| {
                schemas[m]
                    .pointer(&format!("/properties/{}", escape(&property)))
                    .is_some_and(|p| p.get("type").and_then(Value::as_str) != Some("string"))
            })
        {
            return;
        }
        let mapped = self.chance(0.6);
        let mut mapping = Map::new();
        let mut values = std::collections::HashSet::new();
        for m in members {
            // With a mapping, any words; without, the component's name.
            let value = if mapped { self.word() } else { m.clone() };
            if !values.insert(value.clone()) {
                return;
            }
            mapping.insert(value, format!("#/components/schemas/{m}").into());
        }
        for (value, target) in &mapping {
            let m = target
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default();
            require_string(doc, m, &property);
            if let Some(p) = doc.pointer_mut(&format!(
                "/components/schemas/{}/properties/{}",
                escape(m),
                escape(&property)
            )) {
                p["enum"] = json!([value]);
            }
        }
        let mut discriminator = json!({"propertyName": property});
        if mapped {
            discriminator["mapping"] = Value::Object(mapping.clone());
        }
        let refs: Vec<Value> = mapping.values().map(|r| json!({"$ref": r})).collect();
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        if let Some(all) = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            all.insert(
                name.clone(),
                json!({"oneOf": refs, "discriminator": discriminator}),
            );
        }
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            let media = json!({"application/json": {"schema": reference}});
            paths.insert(
                "/specfuzz-tagged-union".into(),
                json!({"post": {
                    "operationId": "specfuzzTaggedUnion",
                    "requestBody": {"required": true, "content": media.clone()},
                    "responses": {"200": {"description": "the union", "content": media}},
                }}),
            );
        }
    }

    fn content_params(&mut self, doc: &mut Value) {
        each_parameter(doc, &mut |p| {
            // Path parameters stay simple: their style decides the text.
            if p.get("in").and_then(Value::as_str) == Some("path") || !self.chance(0.3) {
                return;
            }
            let Some(schema) = p.remove("schema") else {
                return;
            };
            p.remove("style");
            p.remove("explode");
            p.insert(
                "content".into(),
                json!({"application/json": {"schema": schema}}),
            );
        });
    }

    fn security(&mut self, doc: &mut Value) {
        let mut schemes = Map::new();
        for _ in 0..self.rng.random_range(1..4) {
            let name = self.component_word();
            let scheme = match self.rng.random_range(0..7) {
                0 => json!({"type": "apiKey", "in": "header", "name": self.token_word()}),
                1 => json!({"type": "apiKey", "in": "query", "name": self.word()}),
                2 => json!({"type": "apiKey", "in": "cookie", "name": self.token_word()}),
                3 => json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}),
                4 => json!({"type": "http", "scheme": "basic"}),
                5 => {
                    let mut scopes = Map::new();
                    scopes.insert(self.word(), "a scope".into());
                    json!({"type": "oauth2", "flows": {
                        "clientCredentials": {"tokenUrl": "https://example.com/token", "scopes": scopes},
                        "authorizationCode": {"authorizationUrl": "https://example.com/auth", "tokenUrl": "/token", "scopes": {}},
                    }})
                }
                _ => {
                    json!({"type": "openIdConnect", "openIdConnectUrl": "https://example.com/.well-known/openid-configuration"})
                }
            };
            schemes.insert(name, scheme);
        }
        let names: Vec<String> = schemes.keys().cloned().collect();
        let requirement = |x: &mut Self| -> Value {
            let mut r = Map::new();
            let n = x.rng.random_range(0..=names.len().min(2));
            for _ in 0..n {
                let name = &names[x.rng.random_range(0..names.len())];
                r.insert(name.clone(), json!([]));
            }
            Value::Object(r)
        };
        let top: Vec<Value> = (0..self.rng.random_range(1..3))
            .map(|_| requirement(self))
            .collect();
        let Some(root) = doc.as_object_mut() else {
            return;
        };
        root.entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|c| c.insert("securitySchemes".into(), Value::Object(schemes.clone())));
        root.insert("security".into(), Value::Array(top));
        if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
            for item in paths.values_mut() {
                let Some(item) = item.as_object_mut() else {
                    continue;
                };
                for (method, op) in item.iter_mut() {
                    if !is_method(method) || !self.chance(0.4) {
                        continue;
                    }
                    let own = match self.rng.random_range(0..3) {
                        0 => json!([]),
                        1 => json!([{}]),
                        _ => Value::Array(vec![requirement(self), requirement(self)]),
                    };
                    if let Some(op) = op.as_object_mut() {
                        op.insert("security".into(), own);
                    }
                }
            }
        }
    }

    fn servers(&mut self, doc: &mut Value) {
        let variable = self.word();
        let servers = match self.rng.random_range(0..3) {
            0 => json!([{"url": "/api/v1"}]),
            1 => json!([
                {"url": format!("https://{{{}}}.example.com/{{version}}", fit_variable(&variable)),
                 "variables": variables(&variable)},
                {"url": "http://localhost:8080"},
            ]),
            _ => json!([{"url": "https://example.com/base/"}]),
        };
        let Some(root) = doc.as_object_mut() else {
            return;
        };
        root.insert("servers".into(), servers);
        if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
            for item in paths.values_mut() {
                if self.chance(0.2)
                    && let Some(item) = item.as_object_mut()
                {
                    item.insert(
                        "servers".into(),
                        json!([{"url": "https://other.example.com"}]),
                    );
                }
            }
        }
    }

    fn callbacks_links(&mut self, doc: &mut Value) {
        let callback = json!({"{$request.body#/callbackUrl}": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"event": {"type": "string"}}}}}},
            "responses": {"204": {"description": "received"}},
        }}});
        let mut named = false;
        let mut ids = Vec::new();
        each_operation(doc, &mut |op| {
            if let Some(Value::String(id)) = op.get("operationId") {
                ids.push(id.clone());
            }
        });
        each_operation(doc, &mut |op| {
            if self.chance(0.3) {
                let key = self.word();
                let value = if self.chance(0.5) {
                    named = true;
                    json!({"$ref": "#/components/callbacks/onEvent"})
                } else {
                    callback.clone()
                };
                let mut callbacks = Map::new();
                callbacks.insert(key, value);
                op.insert("callbacks".into(), Value::Object(callbacks));
            }
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                for r in responses.values_mut().filter_map(Value::as_object_mut) {
                    if ids.is_empty() || r.contains_key("$ref") || !self.chance(0.3) {
                        continue;
                    }
                    // A link names an operation of the document.
                    let target = ids[self.rng.random_range(0..ids.len())].clone();
                    let mut links = Map::new();
                    links.insert(
                        self.component_word(),
                        json!({"operationId": target, "parameters": {"id": "$response.body#/id"}}),
                    );
                    r.insert("links".into(), Value::Object(links));
                }
            }
        });
        if named && let Some(root) = doc.as_object_mut() {
            let components = root.entry("components").or_insert_with(|| json!({}));
            components["callbacks"] = json!({"onEvent": callback});
        }
    }

    fn media(&mut self, doc: &mut Value) {
        each_operation(doc, &mut |op| {
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                if self.chance(0.3) && !responses.contains_key("400") {
                    responses.insert(
                        "400".into(),
                        json!({"description": "a problem", "content": {"application/problem+json": {"schema": {
                            "type": "object",
                            "properties": {"type": {"type": "string", "format": "uri"}, "title": {"type": "string"},
                                "status": {"type": "integer"}, "detail": {"type": "string"}},
                        }}}}),
                    );
                }
                for r in responses.values_mut().filter_map(Value::as_object_mut) {
                    let Some(Value::Object(content)) = r.get_mut("content") else {
                        continue;
                    };
                    match self.rng.random_range(0..6) {
                        0 => {
                            let schema = content
                                .values()
                                .next()
                                .and_then(|m| m.get("schema"))
                                .cloned();
                            if let Some(schema) = schema {
                                content.insert("application/xml".into(), json!({"schema": schema}));
                            }
                        }
                        1 => {
                            content
                                .insert("text/csv".into(), json!({"schema": {"type": "string"}}));
                        }
                        2 => {
                            content.insert(
                                "image/png".into(),
                                json!({"schema": {"type": "string", "format": "binary"}}),
                            );
                        }
                        3 => {
                            content.insert("*/*".into(), json!({"schema": {"type": "string"}}));
                        }
                        _ => {}
                    }
                }
            }
            if let Some(Value::Object(content)) =
                op.get_mut("requestBody").and_then(|b| b.get_mut("content"))
            {
                for (media, m) in content.iter_mut() {
                    let form = media == "application/x-www-form-urlencoded"
                        || media == "multipart/form-data";
                    let Some(m) = m.as_object_mut() else { continue };
                    let first = m
                        .get("schema")
                        .and_then(|s| s.get("properties"))
                        .and_then(Value::as_object)
                        .and_then(|p| p.keys().next().cloned());
                    if form
                        && let Some(first) = first
                        && self.chance(0.5)
                    {
                        let mut encoding = Map::new();
                        encoding.insert(
                            first,
                            json!({"contentType": "application/json", "style": "form", "explode": true}),
                        );
                        m.insert("encoding".into(), Value::Object(encoding));
                    }
                }
            }
        });
    }

    fn schema_extensions(&mut self, s: &mut Map<String, Value>) {
        if !self.chance(0.3) {
            return;
        }
        match self.rng.random_range(0..5) {
            0 => {
                if let Some(Value::Array(values)) = s.get("enum") {
                    let names: Vec<Value> = values
                        .iter()
                        .enumerate()
                        .map(|(i, _)| Value::from(format!("{}{i}", self.word())))
                        .collect();
                    s.insert("x-enum-varnames".into(), Value::Array(names));
                }
            }
            1 => {
                s.insert("x-nullable".into(), true.into());
            }
            2 => {
                s.insert("x-go-name".into(), self.word().into());
            }
            3 => {
                s.insert("x-internal".into(), true.into());
            }
            _ => {
                s.insert(
                    format!("x-{}", self.token_word()),
                    json!({"$ref": "#/nowhere", "nested": [1, {"a": null}]}),
                );
            }
        }
    }

    fn document_extensions(&mut self, doc: &mut Value) {
        let Some(root) = doc.as_object_mut() else {
            return;
        };
        root.insert("x-generator".into(), json!({"name": "specfuzz"}));
        root.insert(
            "tags".into(),
            json!([{"name": self.word(), "x-displayName": "a tag"}]),
        );
        if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
            info.insert(
                "x-logo".into(),
                json!({"url": "https://example.com/logo.png"}),
            );
        }
        each_operation(doc, &mut |op| {
            if self.chance(0.3) {
                op.insert(
                    "x-codeSamples".into(),
                    json!([{"lang": "sh", "source": "curl"}]),
                );
            }
            if self.chance(0.2) {
                op.insert("deprecated".into(), true.into());
            }
        });
    }

    fn openapi31(&mut self, doc: &mut Value) {
        let webhooks = self.chance(0.3);
        each_schema(doc, &mut |s| self.schema31(s));
        let Some(root) = doc.as_object_mut() else {
            return;
        };
        root.insert("openapi".into(), "3.1.0".into());
        if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
            info.insert("summary".into(), "a generated document".into());
            info.insert(
                "license".into(),
                json!({"name": "Apache 2.0", "identifier": "Apache-2.0"}),
            );
        }
        if webhooks {
            // A webhook: an operation the server calls, not the client.
            root.insert(
                "webhooks".into(),
                json!({"newThing": {"post": {
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                    "responses": {"200": {"description": "ok"}},
                }}}),
            );
        }
    }

    fn schema31(&mut self, s: &mut Map<String, Value>) {
        if let Some(e) = s.remove("example") {
            s.insert("examples".into(), json!([e]));
        }
        if s.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
            match s.remove("minimum") {
                Some(m) => s.insert("exclusiveMinimum".into(), m),
                None => s.remove("exclusiveMinimum"),
            };
        } else if s.get("exclusiveMinimum") == Some(&Value::Bool(false)) {
            s.remove("exclusiveMinimum");
        }
        if s.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
            match s.remove("maximum") {
                Some(m) => s.insert("exclusiveMaximum".into(), m),
                None => s.remove("exclusiveMaximum"),
            };
        } else if s.get("exclusiveMaximum") == Some(&Value::Bool(false)) {
            s.remove("exclusiveMaximum");
        }
        if s.remove("nullable") == Some(Value::Bool(true)) {
            match s.remove("type") {
                Some(Value::String(t)) => {
                    s.insert("type".into(), json!([t, "null"]));
                }
                Some(other) => {
                    s.insert("type".into(), other);
                }
                None => {
                    // No type to widen: null is one more alternative.
                    let rest = std::mem::take(s);
                    s.insert(
                        "oneOf".into(),
                        json!([Value::Object(rest), {"type": "null"}]),
                    );
                }
            }
        }
        if let Some(Value::Array(values)) = s.get("enum")
            && values.len() == 1
            && self.chance(0.5)
        {
            let value = values[0].clone();
            s.remove("enum");
            s.insert("const".into(), value);
        }
        if s.contains_key("$ref") && self.chance(0.5) {
            s.insert("description".into(), "a reference with a sibling".into());
        }
    }
}

/// Gives component `name` a required string property `property`.
fn require_string(doc: &mut Value, name: &str, property: &str) {
    let Some(schema) = doc
        .pointer_mut(&format!("/components/schemas/{}", escape(name)))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    schema
        .entry("properties")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .map(|p| {
            p.entry(property.to_owned())
                .or_insert_with(|| json!({"type": "string"}))
        });
    let required = schema.entry("required").or_insert_with(|| json!([]));
    if let Some(list) = required.as_array_mut()
        && !list.iter().any(|v| v == property)
    {
        list.push(property.into());
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Server variable names: `{` and `}` delimit them, so neither may be in one.
fn fit_variable(name: &str) -> String {
    let fitted: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if fitted.is_empty() {
        "region".into()
    } else {
        fitted
    }
}

fn variables(name: &str) -> Value {
    let mut v = Map::new();
    v.insert(
        fit_variable(name),
        json!({"default": "eu", "enum": ["eu", "us"]}),
    );
    v.insert("version".into(), json!({"default": "v2"}));
    Value::Object(v)
}

fn is_method(key: &str) -> bool {
    matches!(
        key,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

/// Calls `f` on every schema object of the document, parents before
/// their children.
fn each_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    fn schema(v: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
        let Some(o) = v.as_object_mut() else { return };
        f(o);
        // Not into `not`: the one `not` adds is a bare type, and walking it
        // would give it a `not` of its own.
        for key in ["items", "additionalProperties"] {
            if let Some(child) = o.get_mut(key) {
                schema(child, f);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = o.get_mut(key) {
                members.iter_mut().for_each(|m| schema(m, f));
            }
        }
        if let Some(Value::Object(props)) = o.get_mut("properties") {
            props.values_mut().for_each(|p| schema(p, f));
        }
    }
    fn content(v: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
        if let Some(Value::Object(media)) = v.get_mut("content") {
            for m in media.values_mut() {
                if let Some(s) = m.get_mut("schema") {
                    schema(s, f);
                }
            }
        }
        if let Some(s) = v.get_mut("schema") {
            schema(s, f);
        }
        if let Some(Value::Object(headers)) = v.get_mut("headers") {
            headers.values_mut().for_each(|h| content(h, f));
        }
    }
    fn operation(op: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            params.iter_mut().for_each(|p| content(p, f));
        }
        if let Some(body) = op.get_mut("requestBody") {
            content(body, f);
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            responses.values_mut().for_each(|r| content(r, f));
        }
    }
    if let Some(Value::Object(c)) = doc.get_mut("components") {
        if let Some(Value::Object(s)) = c.get_mut("schemas") {
            s.values_mut().for_each(|v| schema(v, f));
        }
        for section in ["parameters", "requestBodies", "responses", "headers"] {
            if let Some(Value::Object(s)) = c.get_mut(section) {
                s.values_mut().for_each(|v| content(v, f));
            }
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (key, v) in item.iter_mut() {
                if key == "parameters" {
                    if let Value::Array(params) = v {
                        params.iter_mut().for_each(|p| content(p, f));
                    }
                } else if is_method(key) {
                    operation(v, f);
                }
            }
        }
    }
}

/// Calls `f` on every operation of the paths.
fn each_operation(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, op) in item.iter_mut() {
                if is_method(key)
                    && let Some(op) = op.as_object_mut()
                {
                    f(op);
                }
            }
        }
    }
}

/// Calls `f` on every parameter object written inline or as a component.
fn each_parameter(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    let mut visit = |list: &mut Value| {
        if let Value::Array(params) = list {
            for p in params.iter_mut().filter_map(Value::as_object_mut) {
                if !p.contains_key("$ref") {
                    f(p);
                }
            }
        }
    };
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, v) in item.iter_mut() {
                if key == "parameters" {
                    visit(v);
                } else if is_method(key)
                    && let Some(params) = v.get_mut("parameters")
                {
                    visit(params);
                }
            }
        }
    }
    if let Some(Value::Object(params)) = doc.pointer_mut("/components/parameters") {
        for p in params.values_mut().filter_map(Value::as_object_mut) {
            f(p);
        }
    }
}
