//! The wire layer: operations, parameters, bodies, responses and security
//! of two typed documents.

mod bodies;
mod context;
mod parameters;
mod security;

use openapiv3::OpenAPI;

use super::change::{Change, Kind};
use super::components::Components;
use super::findings::Findings;
use super::schema::Walker;
use crate::generate::OperationTable;
use context::{Cx, Op, collect};

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
}
