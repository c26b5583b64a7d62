//! A normalization pass (their order: `normalize/mod.rs`): how each list
//! operation pages, decided once, before parameters are renamed for Rust
//! (the plan names them as the wire does).
//!
//! In order of authority: the operation's `x-pagination` (ours,
//! `docs/src/generator/extensions.md`); a vendor's extension the spec
//! already has (`x-fern-pagination`, `x-speakeasy-pagination`,
//! `x-dropshot-pagination`); else the shapes of the operation, only when
//! they say one thing (see [`infer`]). The plan is written on the
//! operation as `x-codegen-pagination` (read by the generator, which adds
//! `pages()` and `stream()` to its builder, and by the naming authority,
//! which keeps those two names free); a `GET` that looks like a list but
//! gets no plan is marked `x-codegen-single-page` with why, for the
//! coverage report. An extension that cannot be read is a warning, and
//! the operation stays single-page.

use serde_json::{Value, json};

use super::doc::Doc;
use crate::document::extensions::{PAGINATION_EXTENSION, SINGLE_PAGE_EXTENSION};
use crate::document::operations::operations;
use crate::document::pointer::Lookup;
use crate::document::refs::resolve;

/// Our extension, on an operation.
pub(crate) const X_PAGINATION: &str = "x-pagination";
const FERN: &str = "x-fern-pagination";
const SPEAKEASY: &str = "x-speakeasy-pagination";
const DROPSHOT: &str = "x-dropshot-pagination";

pub(crate) fn run(doc: &mut Doc) {
    for (ptr, path, method) in operations(&doc.root) {
        let decided = {
            let Some(op) = doc.root.at(&ptr) else {
                continue;
            };
            let shape = Shape::of(&doc.root, &ptr, op);
            decide(&doc.root, op, method, &shape)
        };
        let Some(op) = doc.root.at_mut(&ptr).and_then(Value::as_object_mut) else {
            continue;
        };
        match decided {
            Decision::Paged(plan) => {
                op.insert(PAGINATION_EXTENSION.to_owned(), plan);
            }
            Decision::Single(why) => {
                op.insert(SINGLE_PAGE_EXTENSION.to_owned(), Value::String(why));
            }
            Decision::Unreadable(source, why) => {
                op.insert(
                    SINGLE_PAGE_EXTENSION.to_owned(),
                    Value::String(format!("its `{source}` cannot be read: {why}")),
                );
                doc.warn(
                    &format!("{ptr}/{source}"),
                    format!(
                        "`{source}` of {} {path} cannot be read ({why}); the operation returns one page",
                        method.to_uppercase()
                    ),
                    Some("see docs/src/generator/extensions.md for the form of `x-pagination`"),
                );
            }
            Decision::NotAList => {}
        }
    }
}

enum Decision {
    Paged(Value),
    Single(String),
    /// An extension of this name is there but says nothing usable.
    Unreadable(&'static str, String),
    NotAList,
}

/// What the operation offers for paging: its parameters, its JSON
/// request body's properties, its success body and headers.
struct Shape<'a> {
    root: &'a Value,
    /// `(wire name, schema)` of its query parameters.
    query: Vec<(String, Option<&'a Value>)>,
    /// Whether it has a JSON request body (body parameters can be set).
    json_body: bool,
    /// The JSON schema of its success response.
    body: Option<&'a Value>,
    /// Whether its success response declares a `Link` header.
    link_header: bool,
}

impl<'a> Shape<'a> {
    fn of(root: &'a Value, ptr: &str, op: &'a Value) -> Shape<'a> {
        let item_ptr = &ptr[..ptr.rfind('/').unwrap_or(0)];
        let mut query = Vec::new();
        for list in [
            root.at(&format!("{item_ptr}/parameters")),
            op.get("parameters"),
        ] {
            let Some(Value::Array(params)) = list else {
                continue;
            };
            for p in params {
                let Some((p, _)) = resolve(root, p) else {
                    continue;
                };
                if p.get("in").and_then(Value::as_str) != Some("query") {
                    continue;
                }
                let Some(name) = p.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let schema = p
                    .get("schema")
                    .and_then(|s| resolve(root, s))
                    .map(|(s, _)| s);
                query.retain(|(n, _): &(String, _)| n != name);
                query.push((name.to_owned(), schema));
            }
        }
        let json_body = op
            .get("requestBody")
            .and_then(|b| resolve(root, b))
            .and_then(|(b, _)| json_schema(root, b))
            .is_some();
        let success = op
            .get("responses")
            .and_then(Value::as_object)
            .and_then(|r| {
                ["200", "2XX", "2xx", "206"]
                    .iter()
                    .find_map(|code| r.get(*code))
                    .and_then(|r| resolve(root, r))
                    .map(|(r, _)| r)
            });
        let body = success.and_then(|r| json_schema(root, r));
        let link_header = success
            .and_then(|r| r.get("headers"))
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("link")));
        Shape {
            root,
            query,
            json_body,
            body,
            link_header,
        }
    }

    fn query_param(&self, name: &str) -> Option<&(String, Option<&'a Value>)> {
        self.query.iter().find(|(n, _)| n == name)
    }

    /// Where the parameter `name` goes: a query parameter of that name,
    /// else (with a JSON body) the body field its dotted keys lead to.
    fn target(&self, name: &str) -> Option<Value> {
        let name = name.trim();
        if let Some((wire, _)) = self.query_param(name) {
            return Some(json!({"query": wire}));
        }
        let keys = name.strip_prefix("body.").unwrap_or(name);
        (self.json_body && !keys.is_empty()).then(|| json!({"body": dotted(keys)}))
    }
}

/// The JSON schema of a request body or response, resolved.
fn json_schema<'a>(root: &'a Value, holder: &'a Value) -> Option<&'a Value> {
    let content = holder.get("content")?.as_object()?;
    let (_, media) = content.iter().find(|(media, _)| {
        let media = media.split(';').next().unwrap_or("").trim();
        media == "application/json" || media.ends_with("+json") || media == "*/*"
    })?;
    resolve(root, media.get("schema")?).map(|(s, _)| s)
}

fn dotted(keys: &str) -> Vec<String> {
    keys.split('.').map(str::to_owned).collect()
}

fn decide(root: &Value, op: &Value, method: &str, shape: &Shape) -> Decision {
    if let Some(ext) = op.get(X_PAGINATION) {
        if DATADOG_KEYS.iter().any(|k| ext.get(k).is_some()) {
            return from_datadog(ext, shape)
                .map(|p| Decision::Paged(stamped(p, "x-pagination (Datadog's)")))
                .unwrap_or_else(|why| Decision::Unreadable(X_PAGINATION, why));
        }
        return from_ours(ext, shape)
            .map(|p| Decision::Paged(stamped(p, X_PAGINATION)))
            .unwrap_or_else(|why| Decision::Unreadable(X_PAGINATION, why));
    }
    if let Some(ext) = op.get(FERN) {
        // `true` points to the document's default.
        let ext = if ext == &Value::Bool(true) {
            root.get(FERN).unwrap_or(ext)
        } else {
            ext
        };
        return from_fern(ext, shape)
            .map(|p| Decision::Paged(stamped(p, FERN)))
            .unwrap_or_else(|why| Decision::Unreadable(FERN, why));
    }
    if let Some(ext) = op.get(SPEAKEASY) {
        return from_speakeasy(ext, shape)
            .map(|p| Decision::Paged(stamped(p, SPEAKEASY)))
            .unwrap_or_else(|why| Decision::Unreadable(SPEAKEASY, why));
    }
    if op.get(DROPSHOT).is_some() {
        // Dropshot's convention: `items` and `next_page`, fed back as
        // the `page_token` query parameter.
        return match shape.query_param("page_token") {
            Some(_) => Decision::Paged(stamped(
                json!({"items": ["items"], "has_more": null,
                       "next": {"cursor": {"from": ["next_page"], "to": {"query": "page_token"}}}}),
                DROPSHOT,
            )),
            None => Decision::Unreadable(DROPSHOT, "the operation has no `page_token`".into()),
        };
    }
    if method != "get" {
        return Decision::NotAList;
    }
    infer(shape)
}

/// The plan with where it came from: the extension and the kind of next
/// page (`x-fern-pagination: cursor`).
fn stamped(mut plan: Value, how: &str) -> Value {
    let kind = plan
        .get("next")
        .and_then(Value::as_object)
        .and_then(|n| n.keys().next().cloned())
        .unwrap_or_default();
    if let Some(map) = plan.as_object_mut() {
        map.insert("how".to_owned(), Value::String(format!("{how}: {kind}")));
    }
    plan
}

/// Dotted keys of a field of the page (`next_page.offset`; `$response.`,
/// `$.` and `$response.body.` prefixes of the vendors' forms dropped).
fn field(text: &str) -> Vec<String> {
    let text = text.trim();
    let text = ["$response.body.", "$response.", "$."]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    if text.is_empty() || text == "$" {
        Vec::new()
    } else {
        dotted(text)
    }
}

fn string<'v>(ext: &'v Value, key: &str) -> Result<&'v str, String> {
    ext.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{key}` is not a string"))
}

fn target(shape: &Shape, name: &str) -> Result<Value, String> {
    shape.target(name).ok_or_else(|| {
        format!(
            "`{name}` is neither a query parameter of the operation nor a field of its JSON body"
        )
    })
}

/// Our `x-pagination`: `items`, `has_more`, and one of `cursor`,
/// `last_item`, `offset`, `page`, `link_header`, `next_url`.
fn from_ours(ext: &Value, shape: &Shape) -> Result<Value, String> {
    if !ext.is_object() {
        return Err("it is not a mapping".into());
    }
    let items = match ext.get("items") {
        None => Vec::new(),
        Some(Value::String(s)) => field(s),
        Some(_) => return Err("`items` is not a string".into()),
    };
    let has_more = match ext.get("has_more") {
        None => Value::Null,
        Some(Value::String(s)) => json!(field(s)),
        Some(_) => return Err("`has_more` is not a string".into()),
    };
    let kinds: Vec<&str> = [
        "cursor",
        "last_item",
        "offset",
        "page",
        "link_header",
        "next_url",
    ]
    .into_iter()
    .filter(|k| ext.get(*k).is_some())
    .collect();
    let [kind] = kinds[..] else {
        return Err(format!(
            "it needs exactly one of `cursor`, `last_item`, `offset`, `page`, `link_header`, `next_url` (it has {})",
            kinds.len()
        ));
    };
    let spec = &ext[kind];
    let limit = |spec: &Value| -> Result<Value, String> {
        match spec.get("limit") {
            None => Ok(Value::Null),
            Some(Value::String(l)) => target(shape, l),
            Some(_) => Err("`limit` is not a string".into()),
        }
    };
    let next = match kind {
        "cursor" => json!({"cursor": {
            "from": field(string(spec, "from")?),
            "to": target(shape, string(spec, "to")?)?}}),
        "last_item" => json!({"last_item": {
            "field": field(string(spec, "field")?),
            "to": target(shape, string(spec, "to")?)?}}),
        "offset" => json!({"offset": {
            "to": target(shape, string(spec, "to")?)?, "limit": limit(spec)?}}),
        "page" => json!({"page": {
        "to": target(shape, string(spec, "to")?)?, "limit": limit(spec)?,
        "start": match spec.get("start") {
            None => 1,
            Some(v) => v.as_i64().ok_or("`start` is not an integer")?,
        }}}),
        "link_header" => {
            if spec != &Value::Bool(true) {
                return Err("`link_header` is not `true`".into());
            }
            json!({"link_header": true})
        }
        _ => json!({"next_url": {"from": field(
            spec.as_str().ok_or("`next_url` is not a string")?)}}),
    };
    Ok(json!({"items": items, "has_more": has_more, "next": next}))
}

/// The keys of Datadog's own `x-pagination` (its specs carry it under
/// the same name as ours; none of them is one of ours).
const DATADOG_KEYS: [&str; 5] = [
    "limitParam",
    "pageOffsetParam",
    "pageParam",
    "cursorParam",
    "resultsPath",
];

/// Datadog's `x-pagination`: `resultsPath`, `limitParam`, and
/// `pageOffsetParam` (an offset), `pageParam` (page numbers, from the
/// parameter's default, else 0) or `cursorParam` with `cursorPath`.
fn from_datadog(ext: &Value, shape: &Shape) -> Result<Value, String> {
    let items = match ext.get("resultsPath").and_then(Value::as_str) {
        Some(r) => field(r),
        None => Vec::new(),
    };
    let limit = match ext.get("limitParam").and_then(Value::as_str) {
        Some(l) => target(shape, l)?,
        None => Value::Null,
    };
    let next = if let Some(offset) = ext.get("pageOffsetParam").and_then(Value::as_str) {
        json!({"offset": {"to": target(shape, offset)?, "limit": limit}})
    } else if let Some(page) = ext.get("pageParam").and_then(Value::as_str) {
        let start = shape
            .query_param(page)
            .and_then(|(_, s)| *s)
            .and_then(|s| s.get("default"))
            .and_then(Value::as_i64)
            .unwrap_or(0);
        json!({"page": {"to": target(shape, page)?, "limit": limit, "start": start}})
    } else if let Some(cursor) = ext.get("cursorParam").and_then(Value::as_str) {
        json!({"cursor": {"from": field(string(ext, "cursorPath")?), "to": target(shape, cursor)?}})
    } else {
        return Err("none of `pageOffsetParam`, `pageParam`, `cursorParam` is given".into());
    };
    Ok(json!({"items": items, "has_more": null, "next": next}))
}

/// Fern's `x-fern-pagination`: `cursor` + `next_cursor` + `results`, or
/// `offset` (+ `step`) + `results` (+ `has-next-page`), or `next_uri`.
fn from_fern(ext: &Value, shape: &Shape) -> Result<Value, String> {
    let request = |key: &str| -> Result<Value, String> {
        let text = string(ext, key)?;
        target(shape, text.trim().strip_prefix("$request.").unwrap_or(text))
    };
    let items = field(string(ext, "results")?);
    let has_more = match ext.get("has-next-page").and_then(Value::as_str) {
        Some(s) => json!(field(s)),
        None => Value::Null,
    };
    let next = if ext.get("cursor").is_some() {
        json!({"cursor": {"from": field(string(ext, "next_cursor")?), "to": request("cursor")?}})
    } else if ext.get("offset").is_some() {
        // Without `step`, Fern counts pages: the offset goes up by one.
        match ext.get("step") {
            Some(_) => json!({"offset": {"to": request("offset")?, "limit": request("step")?}}),
            None => json!({"page": {"to": request("offset")?, "limit": null, "start": 1}}),
        }
    } else if let Some(uri) = ext.get("next_uri").and_then(Value::as_str) {
        json!({"next_url": {"from": field(uri)}})
    } else {
        return Err("neither `cursor`, `offset` nor `next_uri` is given".into());
    };
    Ok(json!({"items": items, "has_more": has_more, "next": next}))
}

/// Speakeasy's `x-speakeasy-pagination`: `type` (`cursor`,
/// `offsetLimit`, `url`), `inputs` (`name`, `in`, `type`), `outputs`
/// (`results`, `nextCursor`, `nextUrl`) as JSONPath (`$.data`).
fn from_speakeasy(ext: &Value, shape: &Shape) -> Result<Value, String> {
    let outputs = ext.get("outputs").ok_or("`outputs` is missing")?;
    let items = match outputs.get("results").and_then(Value::as_str) {
        Some(r) => field(r),
        None => Vec::new(),
    };
    let input = |kind: &str| -> Option<Result<Value, String>> {
        let inputs = ext.get("inputs")?.as_array()?;
        let found = inputs
            .iter()
            .find(|i| i.get("type").and_then(Value::as_str) == Some(kind))?;
        let name = found.get("name").and_then(Value::as_str)?;
        Some(match found.get("in").and_then(Value::as_str) {
            Some("requestBody") if shape.json_body => Ok(json!({"body": dotted(name)})),
            _ => target(shape, name),
        })
    };
    let next = match ext.get("type").and_then(Value::as_str) {
        Some("cursor") => {
            let to = input("cursor").ok_or("no input of type `cursor`")??;
            let from = string(outputs, "nextCursor")?;
            // `$.data[-1].id`: the last item's field.
            match from.split_once("[-1].") {
                Some((_, rest)) => json!({"last_item": {"field": dotted(rest), "to": to}}),
                None => json!({"cursor": {"from": field(from), "to": to}}),
            }
        }
        Some("offsetLimit") => {
            let limit = input("limit").transpose()?.unwrap_or(Value::Null);
            match (input("offset"), input("page")) {
                (Some(to), _) => json!({"offset": {"to": to?, "limit": limit}}),
                (None, Some(to)) => json!({"page": {"to": to?, "limit": limit, "start": 1}}),
                (None, None) => return Err("no input of type `offset` or `page`".into()),
            }
        }
        Some("url") => json!({"next_url": {"from": field(string(outputs, "nextUrl")?)}}),
        other => {
            return Err(format!(
                "the type {other:?} is not one this generator knows"
            ));
        }
    };
    Ok(json!({"items": items, "has_more": null, "next": next}))
}

/// Lower case without `_`, `-` and `.`: `next_page_token`, `nextPageToken`
/// and `next-page-token` alike.
fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | '@'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The properties of an object schema (its `allOf` members' too).
fn properties<'a>(root: &'a Value, schema: &'a Value, depth: usize) -> Vec<(&'a str, &'a Value)> {
    let mut out = Vec::new();
    if depth > 4 {
        return out;
    }
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (k, v) in props {
            if let Some((v, _)) = resolve(root, v) {
                out.push((k.as_str(), v));
            }
        }
    }
    for key in ["allOf"] {
        if let Some(Value::Array(members)) = schema.get(key) {
            for m in members {
                if let Some((m, _)) = resolve(root, m) {
                    out.extend(properties(root, m, depth + 1));
                }
            }
        }
    }
    out
}

fn type_of(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t),
        // 3.1's `[string, "null"]`.
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ if schema.get("items").is_some() => Some("array"),
        _ if schema.get("properties").is_some() || schema.get("allOf").is_some() => Some("object"),
        _ => None,
    }
}

/// Names under which APIs put the items beside other arrays.
const ITEM_NAMES: [&str; 8] = [
    "data", "items", "results", "entries", "records", "values", "elements", "list",
];

/// Where the items are: the body itself, its one array property (or one
/// of the usual names), or HAL's `_embedded`'s one array. `Err` names the
/// candidates when there are several.
fn items_path(root: &Value, body: &Value) -> Result<Option<Vec<String>>, String> {
    if type_of(body) == Some("array") {
        return Ok(Some(Vec::new()));
    }
    let props = properties(root, body, 0);
    let arrays: Vec<&str> = props
        .iter()
        .filter(|(_, s)| type_of(s) == Some("array"))
        .map(|(k, _)| *k)
        .collect();
    match arrays[..] {
        [one] => return Ok(Some(vec![one.to_owned()])),
        [] => {}
        _ => {
            let usual: Vec<&str> = arrays
                .iter()
                .copied()
                .filter(|k| ITEM_NAMES.contains(&norm(k).as_str()))
                .collect();
            return match usual[..] {
                [one] => Ok(Some(vec![one.to_owned()])),
                _ => Err(format!(
                    "which array holds the items is ambiguous ({})",
                    arrays.join(", ")
                )),
            };
        }
    }
    if let Some((_, embedded)) = props.iter().find(|(k, _)| *k == "_embedded") {
        let arrays: Vec<&str> = properties(root, embedded, 0)
            .into_iter()
            .filter(|(_, s)| type_of(s) == Some("array"))
            .map(|(k, _)| k)
            .collect();
        if let [one] = arrays[..] {
            return Ok(Some(vec!["_embedded".to_owned(), one.to_owned()]));
        }
    }
    Ok(None)
}

/// Scalar fields of the page down to `depth` keys: `(keys, schema)`.
fn fields<'a>(root: &'a Value, schema: &'a Value, depth: usize) -> Vec<(Vec<&'a str>, &'a Value)> {
    let mut out = Vec::new();
    for (k, v) in properties(root, schema, 0) {
        match type_of(v) {
            Some("object") if depth > 1 => {
                for (mut keys, s) in fields(root, v, depth - 1) {
                    keys.insert(0, k);
                    out.push((keys, s));
                }
            }
            Some("object" | "array") => {}
            _ => out.push((vec![k], v)),
        }
    }
    out
}

const CURSOR_PARAMS: [&str; 9] = [
    "cursor",
    "pagetoken",
    "nexttoken",
    "continuationtoken",
    "marker",
    "after",
    "startingafter",
    "pagecursor",
    "starttoken",
];
const OFFSET_PARAMS: [&str; 2] = ["offset", "skip"];
const LIMIT_PARAMS: [&str; 7] = [
    "limit",
    "pagesize",
    "perpage",
    "count",
    "size",
    "maxresults",
    "pagelimit",
];
const PAGE_PARAMS: [&str; 3] = ["page", "pagenumber", "pagenum"];
const HAS_MORE: [&str; 4] = ["hasmore", "hasnextpage", "hasnext", "more"];
const NEXT_URLS: [&str; 6] = [
    "next",
    "nexturl",
    "nextlink",
    "nextpageurl",
    "nextpageuri",
    "odatanextlink",
];

/// The inferred plan of a `GET`, when its shapes say one thing. In this
/// order, the first that applies wins (each is unambiguous on its own):
///
/// 1. a field of the page named after a query parameter as its next
///    value (`nextPageToken` → `pageToken`, `next_cursor` → `cursor`,
///    `next_page.offset` → `offset`, `next_marker` → `marker`): a cursor;
/// 2. a field holding the next page's URL (`next`, `next_url`,
///    `@odata.nextLink`, HAL's `_links.next.href`, `links.next`);
/// 3. a `Link` header declared on the success response;
/// 4. `has_more` and a `starting_after` parameter: the last item's `id`;
/// 5. an integer `offset` (or `skip`) beside a page size (`limit`,
///    `per_page`, …): offset and limit;
/// 6. an integer `page` beside a page size: page numbers.
///
/// Two candidates of one kind (two cursor pairs, two next URLs) are
/// ambiguous: the operation stays single-page, with why.
fn infer(shape: &Shape) -> Decision {
    let Some(body) = shape.body else {
        return Decision::NotAList;
    };
    let root = shape.root;
    let items = items_path(root, body);
    let page_fields = fields(root, body, 2);
    let deep_fields = fields(root, body, 3);
    let has_more = page_fields
        .iter()
        .filter(|(k, s)| k.len() == 1 && type_of(s) == Some("boolean"))
        .find(|(k, _)| HAS_MORE.contains(&norm(k[0]).as_str()))
        .map(|(k, _)| json!(k));
    let query = |names: &[&str], integer: bool| -> Vec<&str> {
        shape
            .query
            .iter()
            .filter(|(n, s)| {
                names.contains(&norm(n).as_str())
                    && (!integer
                        || s.and_then(|s| type_of(s))
                            .is_some_and(|t| t == "integer" || t == "number"))
            })
            .map(|(n, _)| n.as_str())
            .collect()
    };
    // 1. A field named as the next value of a query parameter.
    let mut pairs: Vec<(Vec<&str>, &str)> = Vec::new();
    for (keys, _) in &page_fields {
        let last = norm(keys[keys.len() - 1]);
        let parent = (keys.len() > 1).then(|| norm(keys[keys.len() - 2]));
        for (name, _) in &shape.query {
            let n = norm(name);
            let named = last == format!("next{n}")
                || (parent.as_ref().is_some_and(|p| p.starts_with("next")) && last == n);
            if named && !n.is_empty() {
                pairs.push((keys.clone(), name));
            }
        }
    }
    let mut next: Option<(Value, String)> = None;
    match &pairs[..] {
        [] => {}
        [(keys, to)] => {
            next = Some((
                json!({"cursor": {"from": keys, "to": {"query": to}}}),
                format!("cursor {} → {to}", keys.join(".")),
            ));
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(k, to)| format!("{} → {to}", k.join(".")))
                .collect();
            return Decision::Single(format!(
                "several response fields could feed a request parameter ({})",
                list.join(", ")
            ));
        }
    }
    // 2. A next URL in the body.
    if next.is_none() {
        let urls: Vec<&Vec<&str>> = deep_fields
            .iter()
            .filter(|(k, s)| {
                type_of(s) == Some("string")
                    && match k[..] {
                        [one] => NEXT_URLS.contains(&norm(one).as_str()),
                        [links, n] => norm(links) == "links" && norm(n) == "next",
                        [links, n, href] => {
                            norm(links) == "links" && norm(n) == "next" && href == "href"
                        }
                        _ => false,
                    }
            })
            .map(|(k, _)| k)
            .collect();
        match urls[..] {
            [] => {}
            [keys] => {
                next = Some((
                    json!({"next_url": {"from": keys}}),
                    format!("next URL {}", keys.join(".")),
                ));
            }
            _ => return Decision::Single("several response fields could hold the next URL".into()),
        }
    }
    // 3. The Link header.
    if next.is_none() && shape.link_header {
        next = Some((json!({"link_header": true}), "Link header".to_owned()));
    }
    let limits = query(&LIMIT_PARAMS, true);
    let limit = match limits[..] {
        [one] => json!({"query": one}),
        _ => Value::Null,
    };
    // 4. has_more and the last item's id.
    if next.is_none()
        && let (Some(_), [after]) = (&has_more, &query(&["startingafter"], false)[..])
    {
        next = Some((
            json!({"last_item": {"field": ["id"], "to": {"query": after}}}),
            format!("last item's id → {after}"),
        ));
    }
    // 5. Offset and limit.
    if next.is_none()
        && let ([offset], false) = (&query(&OFFSET_PARAMS, true)[..], limit.is_null())
    {
        next = Some((
            json!({"offset": {"to": {"query": offset}, "limit": limit}}),
            format!("offset {offset} + limit"),
        ));
    }
    // 6. Page numbers.
    if next.is_none()
        && let ([page], false) = (&query(&PAGE_PARAMS, true)[..], limit.is_null())
    {
        let start = shape
            .query_param(page)
            .and_then(|(_, s)| *s)
            .and_then(|s| {
                s.get("default")
                    .and_then(Value::as_i64)
                    .or_else(|| s.get("minimum").and_then(Value::as_i64))
            })
            .unwrap_or(1);
        next = Some((
            json!({"page": {"to": {"query": page}, "limit": limit, "start": start}}),
            format!("page number {page}"),
        ));
    }
    let any_array = !matches!(items, Ok(None));
    let Some((next, how)) = next else {
        if any_array && (has_more.is_some() || !query(&CURSOR_PARAMS, false).is_empty()) {
            return Decision::Single(
                "a paging parameter or field is there, but no response field or header leads to the next page".into(),
            );
        }
        return if type_of(body) == Some("array") {
            Decision::Single("no paging parameter, next field or Link header in the spec".into())
        } else {
            Decision::NotAList
        };
    };
    let paging_params = shape.link_header
        || [&CURSOR_PARAMS[..], &OFFSET_PARAMS[..], &PAGE_PARAMS[..]]
            .iter()
            .any(|names| !query(names, false).is_empty());
    let items = match items {
        // A lone array of another name is a list's only beside a paging
        // parameter (GitHub's `{total_count, workflow_runs}`): a `next`
        // beside an object's one array proves nothing on its own.
        Ok(Some(items))
            if items.len() == 1
                && !ITEM_NAMES.contains(&norm(&items[0]).as_str())
                && !paging_params =>
        {
            return Decision::Single(format!(
                "{how}, but its one array (`{}`) is not named like a list's items and no paging parameter backs it",
                items[0]
            ));
        }
        Ok(Some(items)) => items,
        Ok(None) => return Decision::Single(format!("{how}, but no array of items in the page")),
        Err(why) => return Decision::Single(format!("{how}, but {why}")),
    };
    let mut plan =
        json!({"items": items, "has_more": has_more.unwrap_or(Value::Null), "next": next});
    if let Some(map) = plan.as_object_mut() {
        map.insert("how".into(), Value::String(format!("inferred: {how}")));
    }
    Decision::Paged(plan)
}
