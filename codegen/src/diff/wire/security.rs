//! The API keys and authentication schemes an operation needs.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, Operation, SecurityScheme};

use super::context::{Cx, Op};
use crate::diff::change::Kind;
use crate::generate::OperationTable;

impl<'a> Cx<'a> {
    pub(super) fn security(&mut self, o: &Op<'a>, n: &Op<'a>) {
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
