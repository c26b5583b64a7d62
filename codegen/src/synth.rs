//! Deterministic synthetic OpenAPI 3.0.3 specs for benchmarks.
//!
//! [`spec`]`(n)` returns a YAML document with exactly `n` operations, built
//! from CRUD-like resources of five operations each (`list…`, `create…`,
//! `get…`, `update…`, `delete…`; a last, partial resource takes the first
//! `n % 5` of them). Each resource brings five component schemas (the
//! entity, its create and update bodies, a page and a status enum), so a
//! spec of `n` operations has about `n` schemas; two shared ones (`Error`,
//! `Cursor`) come on top.
//!
//! The mix is meant to look like a real API rather than to stress one
//! construct: path parameters (`{id}`, uuid, declared on the path item),
//! query parameters (an optional bounded integer, an inline string enum, a
//! `$ref` enum, a string), header parameters, JSON request bodies by
//! `$ref`, `4XX` error responses by `$ref` to `#/components/responses`,
//! and response schemas with strings, integers, booleans, nullable fields,
//! arrays of `$ref` objects, nested inline objects, string enums,
//! date-time fields and free-form objects. Resources differ a little (the
//! number of extra fields cycles through 2–5), and that variation repeats
//! every four resources, so the size grows linearly with `n`.
//!
//! The same `n` always gives byte-identical output: the text is written
//! in a fixed order, with no maps and no clock. It is used by the codegen
//! benchmarks (`cargo bench -p codegen`), `cargo xtask synth` and `cargo
//! xtask bench`.

use std::fmt::Write;

/// Resource nouns, each with a regular `-s` plural. After the list runs
/// out it starts over under a new API version (`/v2/characters`,
/// `CharacterV2`, `listCharactersV2`).
const NOUNS: [&str; 40] = [
    "character",
    "session",
    "voice",
    "model",
    "scene",
    "story",
    "message",
    "persona",
    "world",
    "asset",
    "webhook",
    "member",
    "project",
    "invoice",
    "prompt",
    "dataset",
    "document",
    "embedding",
    "channel",
    "thread",
    "reaction",
    "badge",
    "quest",
    "item",
    "inventory",
    "guild",
    "event",
    "ticket",
    "report",
    "avatar",
    "playlist",
    "track",
    "album",
    "coupon",
    "order",
    "product",
    "review",
    "location",
    "schedule",
    "template",
];

/// Operations per resource, in the order a partial resource takes them.
const OPS_PER_RESOURCE: usize = 5;

/// A synthetic spec with exactly `operations` operations, as YAML text.
///
/// Deterministic: the same argument always yields the same bytes. Every
/// operation has a unique `operationId`, and `codegen::generate` accepts
/// the result.
pub fn spec(operations: usize) -> String {
    let resources = operations.div_ceil(OPS_PER_RESOURCE);
    // About 3.3 KB of YAML per operation; reserving avoids regrowth.
    let mut y = Yaml(String::with_capacity(4096 + operations * 3400));
    header(&mut y, operations);
    y.line(
        0,
        if operations == 0 {
            "paths: {}"
        } else {
            "paths:"
        },
    );
    for r in 0..resources {
        let ops = (operations - r * OPS_PER_RESOURCE).min(OPS_PER_RESOURCE);
        paths(&mut y, &Resource::new(r), ops);
    }
    y.line(0, "components:");
    security_schemes(&mut y);
    y.line(1, "responses:");
    y.line(2, "Error:");
    y.line(3, "description: The request failed; the body says why.");
    y.line(3, "content:");
    y.line(4, "application/json:");
    y.line(5, "schema:");
    y.line(6, "$ref: '#/components/schemas/Error'");
    y.line(1, "schemas:");
    shared_schemas(&mut y);
    for r in 0..resources {
        schemas(&mut y, &Resource::new(r));
    }
    y.0
}

/// Names derived from a resource's index.
struct Resource {
    index: usize,
    /// `character`
    noun: &'static str,
    /// `Character` or `CharacterV2`: schema name prefix.
    pascal: String,
    /// `Characters` or `CharactersV2`: list operation suffix.
    plural_pascal: String,
    /// `/v1/characters`
    path: String,
    /// `characters`: the tag.
    tag: String,
}

impl Resource {
    fn new(index: usize) -> Self {
        let noun = NOUNS[index % NOUNS.len()];
        let version = index / NOUNS.len() + 1;
        let suffix = if version == 1 {
            String::new()
        } else {
            format!("V{version}")
        };
        let cap = capitalize(noun);
        Resource {
            index,
            noun,
            pascal: format!("{cap}{suffix}"),
            plural_pascal: format!("{cap}s{suffix}"),
            path: format!("/v{version}/{noun}s"),
            tag: if version == 1 {
                format!("{noun}s")
            } else {
                format!("{noun}s-v{version}")
            },
        }
    }

    /// Extra fields of the entity: 2 to 5, cycling.
    fn extra_fields(&self) -> usize {
        2 + self.index % 4
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Indented lines. Writing to a `String` cannot fail, so the `fmt::Result`
/// of `write!` is dropped in one place, here.
struct Yaml(String);

impl Yaml {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.0.push_str("  ");
        }
        self.0.push_str(text);
        self.0.push('\n');
    }

    fn fmt(&mut self, depth: usize, args: std::fmt::Arguments<'_>) {
        for _ in 0..depth {
            self.0.push_str("  ");
        }
        let _ = self.0.write_fmt(args);
        self.0.push('\n');
    }
}

fn header(y: &mut Yaml, operations: usize) {
    y.line(0, "openapi: 3.0.3");
    y.line(0, "info:");
    y.fmt(
        1,
        format_args!("title: Synthetic API ({operations} operations)"),
    );
    y.line(1, "version: \"1.0\"");
    y.line(1, "description: |");
    y.line(
        2,
        "A generated benchmark spec: CRUD resources with the constructs real",
    );
    y.line(
        2,
        "APIs use most. Produced by `codegen::synth::spec`; do not edit.",
    );
    y.line(0, "servers:");
    y.line(1, "- url: https://api.example.com");
    y.line(1, "  description: Production.");
    y.line(0, "security:");
    y.line(1, "- secretKey: []");
}

fn security_schemes(y: &mut Yaml) {
    y.line(1, "securitySchemes:");
    for (name, prefix, what) in [
        ("secretKey", "sk_", "A secret key, for every operation."),
        (
            "publishableKey",
            "pk_",
            "A publishable key, for reads only.",
        ),
    ] {
        y.fmt(2, format_args!("{name}:"));
        y.line(3, "type: http");
        y.line(3, "scheme: bearer");
        y.fmt(3, format_args!("description: {what}"));
        y.fmt(3, format_args!("x-key-prefix: {prefix}"));
    }
}

/// The path items of one resource, holding its first `ops` operations.
fn paths(y: &mut Yaml, r: &Resource, ops: usize) {
    let Resource {
        noun,
        pascal,
        plural_pascal,
        path,
        tag,
        ..
    } = r;
    let schema = |name: &str| format!("$ref: '#/components/schemas/{pascal}{name}'");
    // list, create
    y.fmt(1, format_args!("{path}:"));
    y.line(2, "get:");
    y.fmt(3, format_args!("operationId: list{plural_pascal}"));
    y.fmt(3, format_args!("summary: List {noun}s"));
    y.line(3, "description: |");
    y.fmt(
        4,
        format_args!("Returns a page of {noun}s, newest first. Pass the"),
    );
    y.line(4, "`nextCursor` of a page as `cursor` to get the next one.");
    y.fmt(3, format_args!("tags: [{tag}]"));
    read_security(y);
    y.line(3, "parameters:");
    y.line(4, "- name: limit");
    y.line(4, "  in: query");
    y.line(4, "  description: Page size.");
    y.line(4, "  schema:");
    y.line(4, "    type: integer");
    y.line(4, "    format: int32");
    y.line(4, "    minimum: 1");
    y.line(4, "    maximum: 100");
    y.line(4, "    default: 20");
    y.line(4, "- name: cursor");
    y.line(4, "  in: query");
    y.line(4, "  schema:");
    y.line(4, "    $ref: '#/components/schemas/Cursor'");
    y.line(4, "- name: order");
    y.line(4, "  in: query");
    y.line(4, "  description: Sort order by creation time.");
    y.line(4, "  schema:");
    y.line(4, "    type: string");
    y.line(4, "    enum: [asc, desc]");
    y.line(4, "- name: status");
    y.line(4, "  in: query");
    y.fmt(
        4,
        format_args!("  description: Only {noun}s with this status."),
    );
    y.line(4, "  schema:");
    y.fmt(4, format_args!("    {}", schema("Status")));
    y.line(4, "- name: X-Trace-Id");
    y.line(4, "  in: header");
    y.line(4, "  description: Echoed in logs, for support requests.");
    y.line(4, "  schema:");
    y.line(4, "    type: string");
    json_response(y, "200", &format!("A page of {noun}s."), &schema("Page"));
    if ops >= 2 {
        y.line(2, "post:");
        y.fmt(3, format_args!("operationId: create{pascal}"));
        y.fmt(3, format_args!("summary: Create a {noun}"));
        y.fmt(3, format_args!("tags: [{tag}]"));
        y.line(3, "parameters:");
        y.line(4, "- name: Idempotency-Key");
        y.line(4, "  in: header");
        y.line(4, "  description: Makes a retried create safe.");
        y.line(4, "  schema:");
        y.line(4, "    type: string");
        y.line(4, "    maxLength: 64");
        json_body(y, &schema("Create"));
        json_response(y, "201", &format!("The new {noun}."), &schema(""));
    }
    if ops < 3 {
        return;
    }
    // get, update, delete
    y.fmt(1, format_args!("{path}/{{id}}:"));
    y.line(2, "parameters:");
    y.line(3, "- name: id");
    y.line(3, "  in: path");
    y.line(3, "  required: true");
    y.fmt(3, format_args!("  description: The {noun}'s id."));
    y.line(3, "  schema:");
    y.line(3, "    type: string");
    y.line(3, "    format: uuid");
    y.line(2, "get:");
    y.fmt(3, format_args!("operationId: get{pascal}"));
    y.fmt(3, format_args!("summary: Get a {noun}"));
    y.fmt(3, format_args!("tags: [{tag}]"));
    read_security(y);
    json_response(y, "200", &format!("The {noun}."), &schema(""));
    if ops >= 4 {
        y.line(2, "patch:");
        y.fmt(3, format_args!("operationId: update{pascal}"));
        y.fmt(3, format_args!("summary: Update a {noun}"));
        y.line(
            3,
            "description: Fields that are not sent are left unchanged.",
        );
        y.fmt(3, format_args!("tags: [{tag}]"));
        y.line(3, "parameters:");
        y.line(4, "- name: If-Match");
        y.line(4, "  in: header");
        y.line(4, "  description: Fails with 412 unless the ETag matches.");
        y.line(4, "  schema:");
        y.line(4, "    type: string");
        json_body(y, &schema("Update"));
        json_response(y, "200", &format!("The updated {noun}."), &schema(""));
    }
    if ops >= 5 {
        y.line(2, "delete:");
        y.fmt(3, format_args!("operationId: delete{pascal}"));
        y.fmt(3, format_args!("summary: Delete a {noun}"));
        y.fmt(3, format_args!("tags: [{tag}]"));
        y.line(3, "responses:");
        y.line(4, "\"204\":");
        y.fmt(5, format_args!("description: The {noun} is gone."));
        y.line(4, "4XX:");
        y.line(5, "$ref: '#/components/responses/Error'");
    }
}

fn read_security(y: &mut Yaml) {
    y.line(3, "security:");
    y.line(4, "- secretKey: []");
    y.line(4, "- publishableKey: []");
}

fn json_body(y: &mut Yaml, schema_ref: &str) {
    y.line(3, "requestBody:");
    y.line(4, "required: true");
    y.line(4, "content:");
    y.line(5, "application/json:");
    y.line(6, "schema:");
    y.line(7, schema_ref);
}

fn json_response(y: &mut Yaml, status: &str, description: &str, schema_ref: &str) {
    y.line(3, "responses:");
    y.fmt(4, format_args!("\"{status}\":"));
    y.fmt(5, format_args!("description: {description}"));
    y.line(5, "content:");
    y.line(6, "application/json:");
    y.line(7, "schema:");
    y.line(8, schema_ref);
    y.line(4, "4XX:");
    y.line(5, "$ref: '#/components/responses/Error'");
}

fn shared_schemas(y: &mut Yaml) {
    y.line(2, "Error:");
    y.line(3, "type: object");
    y.line(3, "description: What went wrong.");
    y.line(3, "required: [code, message]");
    y.line(3, "properties:");
    y.line(4, "code:");
    y.line(5, "type: string");
    y.line(5, "description: Stable machine-readable code.");
    y.line(4, "message:");
    y.line(5, "type: string");
    y.line(4, "requestId:");
    y.line(5, "type: string");
    y.line(5, "nullable: true");
    y.line(4, "details:");
    y.line(5, "type: object");
    y.line(5, "additionalProperties: true");
    y.line(2, "Cursor:");
    y.line(3, "type: string");
    y.line(3, "description: An opaque position in a list.");
}

/// Property lines (depth 4 under `properties:`) for one field.
fn field(y: &mut Yaml, name: &str, lines: &[&str]) {
    y.fmt(4, format_args!("{name}:"));
    for l in lines {
        y.line(5, l);
    }
}

fn schemas(y: &mut Yaml, r: &Resource) {
    let Resource { noun, pascal, .. } = r;
    let status_ref = format!("$ref: '#/components/schemas/{pascal}Status'");

    // The entity.
    y.fmt(2, format_args!("{pascal}:"));
    y.line(3, "type: object");
    y.fmt(3, format_args!("description: A {noun}."));
    y.line(3, "required: [id, name, status, createdAt]");
    y.line(3, "properties:");
    field(y, "id", &["type: string", "format: uuid"]);
    field(y, "name", &["type: string", "description: Display name."]);
    field(y, "description", &["type: string", "nullable: true"]);
    field(y, "status", &[&status_ref]);
    field(y, "priority", &["type: integer", "format: int32"]);
    field(y, "archived", &["type: boolean"]);
    field(y, "createdAt", &["type: string", "format: date-time"]);
    field(
        y,
        "updatedAt",
        &["type: string", "format: date-time", "nullable: true"],
    );
    field(y, "labels", &["type: array", "items:", "  type: string"]);
    field(
        y,
        "ownerId",
        &["type: string", "format: uuid", "nullable: true"],
    );
    // A nested object: generators name it after its parent (`…Metadata`).
    field(
        y,
        "metadata",
        &[
            "type: object",
            "description: Where it came from.",
            "properties:",
            "  source:",
            "    type: string",
            "  revision:",
            "    type: integer",
            "    format: int64",
            "  verified:",
            "    type: boolean",
            "    nullable: true",
        ],
    );
    field(
        y,
        "attributes",
        &[
            "type: object",
            "description: Free-form attributes set by the app.",
            "additionalProperties: true",
        ],
    );
    for k in 0..r.extra_fields() {
        let name = format!("{noun}Field{k}");
        let ty: &[&str] = match k % 3 {
            0 => &["type: string"],
            1 => &["type: integer", "format: int64", "nullable: true"],
            _ => &["type: boolean"],
        };
        field(y, &name, ty);
    }

    // The create body.
    y.fmt(2, format_args!("{pascal}Create:"));
    y.line(3, "type: object");
    y.fmt(3, format_args!("description: The fields of a new {noun}."));
    y.line(3, "required: [name]");
    y.line(3, "properties:");
    field(
        y,
        "name",
        &["type: string", "minLength: 1", "maxLength: 200"],
    );
    field(y, "description", &["type: string"]);
    field(y, "status", &[&status_ref]);
    field(y, "priority", &["type: integer", "format: int32"]);
    field(y, "labels", &["type: array", "items:", "  type: string"]);
    field(
        y,
        "attributes",
        &["type: object", "additionalProperties: true"],
    );

    // The update body: every field optional, `description` clearable.
    y.fmt(2, format_args!("{pascal}Update:"));
    y.line(3, "type: object");
    y.fmt(
        3,
        format_args!("description: The fields of a {noun} to change."),
    );
    y.line(3, "properties:");
    field(y, "name", &["type: string"]);
    field(y, "description", &["type: string", "nullable: true"]);
    field(y, "status", &[&status_ref]);
    field(y, "archived", &["type: boolean"]);

    // A page of the list.
    y.fmt(2, format_args!("{pascal}Page:"));
    y.line(3, "type: object");
    y.fmt(3, format_args!("description: One page of {noun}s."));
    y.line(3, "required: [items]");
    y.line(3, "properties:");
    let item_ref = format!("  $ref: '#/components/schemas/{pascal}'");
    field(y, "items", &["type: array", "items:", &item_ref]);
    field(y, "nextCursor", &["type: string", "nullable: true"]);
    field(y, "total", &["type: integer", "format: int64"]);

    // The status enum.
    y.fmt(2, format_args!("{pascal}Status:"));
    y.line(3, "type: string");
    y.fmt(3, format_args!("description: Lifecycle of a {noun}."));
    y.line(3, "enum: [draft, active, archived]");
}

/// A synthetic spec of `schemas` component schemas in a multiple-inheritance
/// `allOf` hierarchy, as JSON text: schema `i` extends schemas `i-1`, `i-2`
/// and `i-3` and declares eight string properties of its own, so the paths
/// from a schema to its ancestors grow like the tribonacci numbers. One
/// operation sends and answers each of the last eight. The shape that
/// made typify's merge (which resolves an ancestor once per path) take
/// 22 s at 100 schemas; `cargo xtask synth --hierarchy N`.
pub fn hierarchy(schemas: usize) -> String {
    let reference = |i: usize| serde_json::json!({ "$ref": format!("#/components/schemas/S{i}") });
    let mut components = serde_json::Map::new();
    for i in 0..schemas {
        let properties: serde_json::Map<String, serde_json::Value> = (0..8)
            .map(|j| (format!("p{i}_{j}"), serde_json::json!({"type": "string"})))
            .collect();
        let own = serde_json::json!({"type": "object", "properties": properties});
        let mut members: Vec<serde_json::Value> = (1..=3)
            .filter(|d| *d <= i)
            .map(|d| reference(i - d))
            .collect();
        let schema = if members.is_empty() {
            own
        } else {
            members.push(own);
            serde_json::json!({ "allOf": members })
        };
        components.insert(format!("S{i}"), schema);
    }
    let mut paths = serde_json::Map::new();
    for i in schemas.saturating_sub(8)..schemas {
        let body = serde_json::json!({"content": {"application/json": {"schema": reference(i)}}});
        paths.insert(
            format!("/s{i}"),
            serde_json::json!({"post": {
                "operationId": format!("postS{i}"),
                "requestBody": body,
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": reference(i)}}}},
            }}),
        );
    }
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic hierarchy", "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    });
    serde_json::to_string_pretty(&spec).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::spec;
    use crate::{Settings, Spec, generate};

    fn operation_ids(text: &str) -> Vec<&str> {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("operationId: "))
            .collect()
    }

    #[test]
    fn deterministic() {
        assert_eq!(spec(37), spec(37));
    }

    #[test]
    fn exact_operation_count_and_unique_ids() {
        for n in [0, 1, 2, 3, 4, 5, 6, 199, 200, 201] {
            let text = spec(n);
            let ids = operation_ids(&text);
            assert_eq!(ids.len(), n, "operations for n = {n}");
            let unique: std::collections::BTreeSet<_> = ids.iter().collect();
            assert_eq!(unique.len(), n, "unique ids for n = {n}");
        }
    }

    #[test]
    fn size_grows_linearly() {
        // Whole cycles of the per-resource variation (4 resources = 20 ops).
        let base = spec(0).len();
        let a = spec(200).len() - base;
        let b = spec(400).len() - base;
        let ratio = b as f64 / a as f64;
        assert!((1.95..2.05).contains(&ratio), "ratio {ratio}");
    }

    #[test]
    fn codegen_accepts_it() {
        // 0 (no paths), a partial resource, and a second API version.
        for n in [0, 7, 203] {
            let text = spec(n);
            let loaded = Spec::from_bytes(format!("synth-{n}.yaml"), text.as_bytes())
                .unwrap_or_else(|e| panic!("n = {n}: {e}"));
            let out =
                generate(&loaded, &Settings::default()).unwrap_or_else(|e| panic!("n = {n}: {e}"));
            let fns = out.code.matches("pub async fn send(").count();
            assert_eq!(fns, n, "builders with send() for n = {n}");
        }
    }
}
