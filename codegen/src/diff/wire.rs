//! The wire layer: operations, parameters, bodies, responses and security
//! of two typed documents.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    RequestBody, Response, SecurityScheme,
};
use serde_json::Value;

use super::schema::{Components, Dir, Findings, Site, Walker, to_json};
use super::{Change, Kind};
use crate::document::operations::typed_operations as operations;
use crate::document::pointer::{escape_token, pointer};
use crate::generate::OperationTable;

pub(super) fn diff(old: &OpenAPI, new: &OpenAPI) -> Vec<Change> {
    let (oc, nc) = (Components::new(old), Components::new(new));
    let mut cx = Cx {
        old,
        new,
        old_table: OperationTable::new(old),
        new_table: OperationTable::new(new),
        walker: Walker::new(&oc, &nc),
        findings: Findings::default(),
    };
    let (old_ops, new_ops) = (collect(old), collect(new));
    for (key, o) in &old_ops {
        match new_ops.get(key) {
            Some(n) => cx.operation(o, n),
            None => cx.findings.push(
                Kind::OperationRemoved,
                &o.pointer,
                format!("operation `{} {}` removed", o.method_upper(), o.path),
                None,
                (true, "clients that call it get an error"),
            ),
        }
    }
    for (key, n) in &new_ops {
        if !old_ops.contains_key(key) {
            cx.findings.push(
                Kind::OperationAdded,
                &n.pointer,
                format!("operation `{} {}` added", n.method_upper(), n.path),
                None,
                (false, "a new call"),
            );
        }
    }
    let Cx {
        walker, findings, ..
    } = cx;
    let mut changes = findings.into_changes();
    changes.extend(walker.findings.into_changes());
    changes
}

struct Op<'a> {
    path: &'a str,
    method: &'static str,
    item: &'a PathItem,
    op: &'a Operation,
    pointer: String,
}

impl Op<'_> {
    fn method_upper(&self) -> String {
        self.method.to_uppercase()
    }

    fn label(&self) -> String {
        match &self.op.operation_id {
            Some(id) => id.clone(),
            None => format!("{} {}", self.method_upper(), self.path),
        }
    }
}

/// Operations by method and path template with its variable names
/// blanked: renaming `{id}` to `{characterId}` keeps the same URL.
fn collect(api: &OpenAPI) -> BTreeMap<(String, &'static str), Op<'_>> {
    let mut out = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in operations(item) {
            out.insert(
                (blank_variables(path), method),
                Op {
                    path,
                    method,
                    item,
                    op,
                    pointer: pointer(["paths", path.as_str(), method]),
                },
            );
        }
    }
    out
}

fn blank_variables(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

fn variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Follows `#/components/<section>/<name>` references in a typed section,
/// returning the item and its pointer.
fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    at: String,
    section: &'static str,
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
) -> Option<(&'a T, String)> {
    let (mut item, mut at) = (item, at);
    for _ in 0..32 {
        match item {
            ReferenceOr::Item(t) => return Some((t, at)),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next()?;
                let name = name.replace("~1", "/").replace("~0", "~");
                item = map?.get(&name)?;
                at = pointer(["components", section, name.as_str()]);
            }
        }
    }
    None
}

struct Cx<'a> {
    old: &'a OpenAPI,
    new: &'a OpenAPI,
    old_table: OperationTable,
    new_table: OperationTable,
    walker: Walker<'a>,
    findings: Findings,
}

/// A parameter with what identifies it across versions.
struct Param<'a> {
    param: &'a Parameter,
    pointer: String,
}

impl<'a> Cx<'a> {
    fn operation(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let what = format!("`{} {}`", n.method_upper(), n.path);
        if o.op.operation_id != n.op.operation_id {
            self.findings.push(
                Kind::OperationIdChanged,
                &format!("{}/operationId", n.pointer),
                format!(
                    "operationId of {what} changed from `{}` to `{}`",
                    o.op.operation_id.as_deref().unwrap_or("none"),
                    n.op.operation_id.as_deref().unwrap_or("none")
                ),
                None,
                (
                    false,
                    "the wire is unchanged; the generated method is renamed (see the rust changes)",
                ),
            );
        }
        if !o.op.deprecated && n.op.deprecated {
            self.findings.push(
                Kind::OperationDeprecated,
                &format!("{}/deprecated", n.pointer),
                format!("operation {what} deprecated"),
                None,
                (false, "it still works; plan for its removal"),
            );
        }
        self.parameters(o, n);
        self.request_body(o, n);
        self.responses(o, n);
        self.security(o, n);
    }

    /// Operation parameters override path-item ones of the same location
    /// and name. Path parameters are keyed by their position in the
    /// template, so that renaming a variable is seen as a rename.
    fn params<'b>(api: &'b OpenAPI, op: &Op<'b>) -> BTreeMap<(String, String), Param<'b>> {
        let map = api.components.as_ref().map(|c| &c.parameters);
        let item_ptr = pointer(["paths", op.path]);
        let vars = variables(op.path);
        let mut out = BTreeMap::new();
        let sources = op
            .item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, r)| (r, format!("{item_ptr}/parameters/{i}")))
            .chain(
                op.op
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r, format!("{}/parameters/{i}", op.pointer))),
            );
        for (r, at) in sources {
            let Some((param, at)) = resolve(r, at, "parameters", map) else {
                continue;
            };
            let data = param.parameter_data_ref();
            let key = match param {
                Parameter::Path { .. } => {
                    let pos = vars.iter().position(|v| *v == data.name);
                    ("path".to_owned(), format!("#{}", pos.unwrap_or(usize::MAX)))
                }
                Parameter::Query { .. } => ("query".to_owned(), data.name.clone()),
                Parameter::Header { .. } => ("header".to_owned(), data.name.to_lowercase()),
                Parameter::Cookie { .. } => ("cookie".to_owned(), data.name.clone()),
            };
            out.insert(key, Param { param, pointer: at });
        }
        out
    }

    fn parameters(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let old = Self::params(self.old, o);
        let new = Self::params(self.new, n);
        let op_label = n.label();
        for (key, p) in &old {
            if !new.contains_key(key) {
                let location = &key.0;
                let name = &p.param.parameter_data_ref().name;
                self.findings.push(
                    Kind::ParameterRemoved,
                    &p.pointer,
                    format!("{location} parameter `{name}` of `{op_label}` removed"),
                    None,
                    (
                        true,
                        "clients built from the old spec still send it and it is no longer understood",
                    ),
                );
            }
        }
        for (key, p) in &new {
            let data = p.param.parameter_data_ref();
            let Some(before) = old.get(key) else {
                let (location, name) = (&key.0, &data.name);
                let verdict = if data.required {
                    (true, "clients built from the old spec do not send it")
                } else {
                    (false, "clients may leave it out")
                };
                let required = if data.required { "required " } else { "" };
                self.findings.push(
                    Kind::ParameterAdded,
                    &p.pointer,
                    format!("{required}{location} parameter `{name}` added to `{op_label}`"),
                    None,
                    verdict,
                );
                continue;
            };
            let was = before.param.parameter_data_ref();
            let label = format!("{op_label}({})", data.name);
            if was.name != data.name {
                self.findings.push(
                    Kind::PathParameterRenamed,
                    &p.pointer,
                    format!(
                        "path parameter `{}` of `{op_label}` renamed to `{}`",
                        was.name, data.name
                    ),
                    None,
                    (
                        false,
                        "the wire is unchanged; the builder method is renamed (see the rust changes)",
                    ),
                );
            }
            if !was.required && data.required {
                self.findings.push(
                    Kind::ParameterBecameRequired,
                    &p.pointer,
                    format!("parameter `{label}` became required"),
                    None,
                    (true, "clients built from the old spec may leave it out"),
                );
            } else if was.required && !data.required {
                self.findings.push(
                    Kind::ParameterBecameOptional,
                    &p.pointer,
                    format!("parameter `{label}` became optional"),
                    None,
                    (false, "clients may leave it out"),
                );
            }
            if let (ParameterSchemaOrContent::Schema(a), ParameterSchemaOrContent::Schema(b)) =
                (&was.format, &data.format)
            {
                let site = Site {
                    old: format!("{}/schema", before.pointer),
                    new: format!("{}/schema", p.pointer),
                    label,
                };
                self.walker
                    .walk(&to_json(a), &to_json(b), &site, Dir::Request);
            }
        }
    }

    fn request_body(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let body = |api: &'a OpenAPI, op: &Op<'a>| -> Option<(&'a RequestBody, String)> {
            let map = api.components.as_ref().map(|c| &c.request_bodies);
            let r = op.op.request_body.as_ref()?;
            resolve(
                r,
                format!("{}/requestBody", op.pointer),
                "requestBodies",
                map,
            )
        };
        let label = format!("{}(body)", n.label());
        match (body(self.old, o), body(self.new, n)) {
            (None, None) => {}
            (Some((_, at)), None) => self.findings.push(
                Kind::RequestBodyRemoved,
                &at,
                format!("request body of `{}` removed", n.label()),
                None,
                (true, "clients built from the old spec still send one"),
            ),
            (None, Some((b, at))) => {
                let verdict = if b.required {
                    (true, "clients built from the old spec send none")
                } else {
                    (false, "clients may leave it out")
                };
                let required = if b.required { "required " } else { "" };
                self.findings.push(
                    Kind::RequestBodyAdded,
                    &at,
                    format!("{required}request body added to `{}`", n.label()),
                    None,
                    verdict,
                );
            }
            (Some((ob, op)), Some((nb, np))) => {
                if !ob.required && nb.required {
                    self.findings.push(
                        Kind::RequestBodyBecameRequired,
                        &np,
                        format!("request body of `{}` became required", n.label()),
                        None,
                        (true, "clients built from the old spec may send none"),
                    );
                } else if ob.required && !nb.required {
                    self.findings.push(
                        Kind::RequestBodyBecameOptional,
                        &np,
                        format!("request body of `{}` became optional", n.label()),
                        None,
                        (false, "clients may leave it out"),
                    );
                }
                self.content(
                    (ob.content.first(), &op),
                    (nb.content.first(), &np),
                    label,
                    Dir::Request,
                );
            }
        }
    }

    /// Compares the media type and schema of a body.
    fn content(
        &mut self,
        (old, op): (Option<(&String, &MediaType)>, &str),
        (new, np): (Option<(&String, &MediaType)>, &str),
        label: String,
        dir: Dir,
    ) {
        match (old, new) {
            (Some((om, omt)), Some((nm, nmt))) => {
                if media_essence(om) != media_essence(nm) {
                    self.findings.push(
                        Kind::MediaTypeChanged,
                        &format!("{np}/content/{}", escape_token(nm)),
                        format!("media type of `{label}` changed from `{om}` to `{nm}`"),
                        Some(dir),
                        (true, "the body is encoded differently"),
                    );
                    return;
                }
                let schema =
                    |mt: &MediaType| mt.schema.as_ref().map(to_json).unwrap_or(Value::Null);
                let site = Site {
                    old: format!("{op}/content/{}/schema", escape_token(om)),
                    new: format!("{np}/content/{}/schema", escape_token(nm)),
                    label,
                };
                self.walker.walk(&schema(omt), &schema(nmt), &site, dir);
            }
            (None, Some(_)) if dir == Dir::Response => self.findings.push(
                Kind::ResponseBodyAdded,
                &format!("{np}/content"),
                format!("`{label}` now has a body"),
                Some(dir),
                (false, "old clients ignore it"),
            ),
            (Some(_), None) if dir == Dir::Response => self.findings.push(
                Kind::ResponseBodyRemoved,
                &format!("{op}/content"),
                format!("`{label}` no longer has a body"),
                Some(dir),
                (true, "clients that read it get nothing"),
            ),
            (None, None) => {}
            _ => self.findings.push(
                Kind::MediaTypeChanged,
                &format!("{np}/content"),
                format!("content of `{label}` changed"),
                Some(dir),
                (true, "the body is encoded differently"),
            ),
        }
    }

    fn responses(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let list = |api: &'a OpenAPI, op: &Op<'a>| {
            let map = api.components.as_ref().map(|c| &c.responses);
            let base = format!("{}/responses", op.pointer);
            let mut out: BTreeMap<String, (&'a Response, String)> = BTreeMap::new();
            let all = op
                .op
                .responses
                .default
                .iter()
                .map(|r| ("default".to_owned(), r))
                .chain(
                    op.op
                        .responses
                        .responses
                        .iter()
                        .map(|(s, r)| (s.to_string(), r)),
                );
            for (status, r) in all {
                let at = format!("{base}/{}", escape_token(&status));
                if let Some(found) = resolve(r, at, "responses", map) {
                    out.insert(status, found);
                }
            }
            out
        };
        let old = list(self.old, o);
        let new = list(self.new, n);
        let op_label = n.label();
        for (status, (_, at)) in &old {
            if !new.contains_key(status) {
                self.findings.push(
                    Kind::ResponseRemoved,
                    at,
                    format!("response `{status}` of `{op_label}` removed"),
                    None,
                    (true, "clients handling it no longer get it as documented"),
                );
            }
        }
        for (status, (nr, np)) in &new {
            let Some((or, op)) = old.get(status) else {
                self.findings.push(
                    Kind::ResponseAdded,
                    np,
                    format!("response `{status}` added to `{op_label}`"),
                    None,
                    (false, "a new documented outcome"),
                );
                continue;
            };
            self.content(
                (body_media(or), op),
                (body_media(nr), np),
                format!("{op_label} → {status}"),
                Dir::Response,
            );
        }
    }

    fn security(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let keys = |table: &OperationTable, op: &Op| -> BTreeSet<String> {
            table
                .find(&op.method_upper(), op.path)
                .map(|e| {
                    e.keys
                        .iter()
                        .map(|k| format!("{k:?}").to_lowercase())
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ok, nk) = (keys(&self.old_table, o), keys(&self.new_table, n));
        let at = format!("{}/security", n.pointer);
        let what = format!("`{} {}`", n.method_upper(), n.path);
        let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(" or ");
        if ok != nk {
            let (message, verdict) = if ok.is_empty() {
                (
                    format!("{what} now needs a {} key", list(&nk)),
                    (true, "calls without a key are refused"),
                )
            } else if nk.is_empty() {
                (
                    format!("{what} no longer needs a key"),
                    (false, "calls with a key still work"),
                )
            } else if ok.is_subset(&nk) {
                let added: BTreeSet<String> = nk.difference(&ok).cloned().collect();
                (
                    format!("{what} now also accepts a {} key", list(&added)),
                    (false, "the keys accepted before still work"),
                )
            } else {
                let lost: BTreeSet<String> = ok.difference(&nk).cloned().collect();
                (
                    format!(
                        "{what} no longer accepts a {} key (it now needs a {} key)",
                        list(&lost),
                        list(&nk)
                    ),
                    (
                        true,
                        "clients holding only the old kind of key are refused (the runtime checks the key kind before sending)",
                    ),
                )
            };
            self.findings
                .push(Kind::SecurityChanged, &at, message, None, verdict);
            return;
        }
        let (os, ns) = (schemes(self.old, o.op), schemes(self.new, n.op));
        if os != ns {
            let show = |s: &BTreeSet<Vec<String>>| {
                s.iter()
                    .map(|alt| {
                        if alt.is_empty() {
                            "none".to_owned()
                        } else {
                            alt.join(" + ")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            let verdict = if os.is_subset(&ns) {
                (false, "the old ways to authenticate still work")
            } else {
                (true, "clients authenticate the old way")
            };
            self.findings.push(
                Kind::SecurityChanged,
                &at,
                format!(
                    "authentication of {what} changed from {} to {}",
                    show(&os),
                    show(&ns)
                ),
                None,
                verdict,
            );
        }
    }
}

/// The body a client decodes: the JSON one if any, else the first.
fn body_media(r: &Response) -> Option<(&String, &MediaType)> {
    r.content
        .iter()
        .find(|(m, _)| media_essence(m) == "application/json")
        .or_else(|| r.content.first())
}

fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The alternatives of an operation's effective security, each as the
/// sorted shapes of its schemes (names of schemes do not matter).
fn schemes(api: &OpenAPI, op: &Operation) -> BTreeSet<Vec<String>> {
    let requirements = op.security.as_ref().or(api.security.as_ref());
    let defined = api.components.as_ref().map(|c| &c.security_schemes);
    requirements
        .into_iter()
        .flatten()
        .map(|req| {
            let mut shapes: Vec<String> = req
                .keys()
                .map(|name| {
                    let scheme = defined.and_then(|d| d.get(name)).and_then(|s| s.as_item());
                    match scheme {
                        Some(SecurityScheme::APIKey { location, name, .. }) => {
                            format!("apiKey in {location:?} `{name}`").to_lowercase()
                        }
                        Some(SecurityScheme::HTTP { scheme, .. }) => {
                            format!("http {}", scheme.to_lowercase())
                        }
                        Some(SecurityScheme::OAuth2 { .. }) => "oauth2".to_owned(),
                        Some(SecurityScheme::OpenIDConnect {
                            open_id_connect_url,
                            ..
                        }) => format!("openIdConnect {open_id_connect_url}"),
                        None => format!("`{name}`"),
                    }
                })
                .collect();
            shapes.sort();
            shapes
        })
        .collect()
}
