//! Request bodies and responses: present or not, required or not, their
//! media type and schema.

use std::collections::BTreeMap;

use openapiv3::{MediaType, OpenAPI, RequestBody, Response};
use serde_json::Value;

use super::context::{Cx, Op, resolve};
use crate::diff::change::Kind;
use crate::diff::components::{Site, to_json};
use crate::diff::findings::Dir;
use crate::document::pointer::escape_token;

impl<'a> Cx<'a> {
    pub(super) fn request_body(&mut self, o: &Op<'a>, n: &Op<'a>) {
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

    pub(super) fn responses(&mut self, o: &Op<'a>, n: &Op<'a>) {
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
