//! Rewrites progenitor's output so that every request goes through the
//! target crate's runtime (`Settings::runtime`): authentication, key-kind
//! checks, retries and typed errors live there, in hand-written code.
//!
//! What changes, and why:
//! - progenitor's re-export of its own `Error` (and friends) becomes the
//!   runtime's: the builders return `runtime::Error`;
//! - `Client::new` (which `unwrap`s and hard-codes a 15 s timeout) and
//!   `Client::new_with_client` are removed: the runtime builds clients;
//! - the no-op `ClientHooks` impl is removed;
//! - the positional methods become builders whose `send()` hands the
//!   built `reqwest::Request` to `runtime::send_json` (or
//!   `send_empty`/`send_stream`/`send_upgrade`): that is
//!   [`super::builders`], the pass after this one.

use syn::{ImplItem, Item};

/// Replaces progenitor's sending machinery by the runtime's (see the
/// module doc); the positional methods are left to [`super::builders`].
pub(crate) fn route_through_runtime(file: &mut syn::File, runtime: &syn::Path) {
    file.items
        .retain(|item| !is_constructor_impl(item) && !is_hooks_impl(item));
    for item in &mut file.items {
        let Item::Use(u) = item else { continue };
        if is_progenitor_reexport(u) {
            *u = syn::parse_quote! {
                #[allow(unused_imports)]
                pub use #runtime::{ByteStream, ClientInfo, Error, ResponseValue};
            };
        } else if is_progenitor_import(u) {
            // The hooks and `OperationInfo` went with progenitor's sending.
            *u = syn::parse_quote! {
                #[allow(unused_imports)]
                use progenitor_client::{encode_path, RequestBuilderExt};
            };
        }
    }
}

fn is_progenitor_reexport(u: &syn::ItemUse) -> bool {
    matches!(u.vis, syn::Visibility::Public(_))
        && matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "progenitor_client")
}

fn is_progenitor_import(u: &syn::ItemUse) -> bool {
    matches!(u.vis, syn::Visibility::Inherited)
        && matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "progenitor_client")
}

fn is_constructor_impl(item: &Item) -> bool {
    let Item::Impl(imp) = item else { return false };
    imp.trait_.is_none()
        && imp
            .items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "new_with_client"))
}

fn is_hooks_impl(item: &Item) -> bool {
    let Item::Impl(imp) = item else { return false };
    imp.trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .is_some_and(|s| s.ident == "ClientHooks")
}
