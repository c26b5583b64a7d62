//! The syntax an enum rewrite (`enums.rs`) adds: the `Unknown`
//! variant, `as_str`, `Serialize`, `Deserialize`, `Display` and
//! `FromStr`, parsed once per run and specialised for each enum by
//! cloning. A large spec has thousands of enums; quoting each impl and
//! parsing the tokens again was most of the rewrite's time. A clone with
//! the placeholders replaced, and the one placeholder arm of each `match`
//! repeated per variant, is the same syntax.

use proc_macro2::Span;
use syn::visit_mut::VisitMut;
use syn::{Ident, Item};

/// The placeholders the templates are written with.
const ENUM: &str = "__CodegenEnum";
const UNKNOWN: &str = "__CodegenUnknown";
const VARIANT: &str = "__CodegenVariant";
const WIRE: &str = "__codegen_wire";

pub(super) struct Impls {
    unknown_variant: syn::Variant,
    as_str: Item,
    serialize: Item,
    deserialize: Item,
    display_open: Item,
    display_closed: Item,
    from_str: Item,
}

impl Impls {
    pub(super) fn new() -> Impls {
        let ty = Ident::new(ENUM, Span::call_site());
        let unknown = Ident::new(UNKNOWN, Span::call_site());
        let variant = Ident::new(VARIANT, Span::call_site());
        let display = |body: proc_macro2::TokenStream| -> Item {
            syn::parse_quote! {
                impl ::std::fmt::Display for #ty {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        #body
                    }
                }
            }
        };
        Impls {
            unknown_variant: syn::parse_quote! {
                /// A value this client does not know (yet), kept verbatim: it
                /// decodes without error and encodes back unchanged.
                #unknown(::std::string::String)
            },
            as_str: syn::parse_quote! {
                impl #ty {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            Self::#variant => #WIRE,
                            Self::#unknown(value) => value.as_str(),
                        }
                    }
                }
            },
            serialize: syn::parse_quote! {
                impl ::serde::Serialize for #ty {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
            },
            deserialize: syn::parse_quote! {
                impl<'de> ::serde::Deserialize<'de> for #ty {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                        Ok(match value.as_str() {
                            #WIRE => Self::#variant,
                            _ => Self::#unknown(value),
                        })
                    }
                }
            },
            display_open: display(quote::quote!(f.write_str(self.as_str()))),
            display_closed: display(quote::quote! {
                match self {
                    Self::#variant => f.write_str(#WIRE),
                }
            }),
            from_str: syn::parse_quote! {
                impl ::std::str::FromStr for #ty {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value {
                            #WIRE => Ok(Self::#variant),
                            _ => Err("invalid value".into()),
                        }
                    }
                }
            },
        }
    }

    /// The variant that keeps a value the client does not know.
    pub(super) fn unknown_variant(&self, unknown: &Ident) -> syn::Variant {
        let mut v = self.unknown_variant.clone();
        Names::new(unknown, unknown).visit_variant_mut(&mut v);
        v
    }

    /// `as_str`, `Serialize` and `Deserialize` of an open enum.
    pub(super) fn open(
        &self,
        ty: &Ident,
        variants: &[(Ident, String)],
        unknown: &Ident,
    ) -> [Item; 3] {
        [&self.as_str, &self.serialize, &self.deserialize]
            .map(|template| specialise(template, ty, unknown, variants))
    }

    /// `Display` (the wire string) and a strict `FromStr` (known values
    /// only); an open enum's `Display` writes its `as_str()`.
    pub(super) fn display_and_from_str(
        &self,
        ty: &Ident,
        variants: &[(Ident, String)],
        unknown: Option<&Ident>,
    ) -> [Item; 2] {
        let display = match unknown {
            Some(_) => &self.display_open,
            None => &self.display_closed,
        };
        // Without an unknown variant, no template names one.
        let unknown = unknown.unwrap_or(ty);
        [display, &self.from_str].map(|template| specialise(template, ty, unknown, variants))
    }
}

fn specialise(template: &Item, ty: &Ident, unknown: &Ident, variants: &[(Ident, String)]) -> Item {
    let mut item = template.clone();
    Names::new(ty, unknown).visit_item_mut(&mut item);
    Arms(variants).visit_item_mut(&mut item);
    item
}

/// The enum's and the unknown variant's placeholders → their names.
struct Names<'a> {
    ty: &'a Ident,
    unknown: &'a Ident,
}

impl<'a> Names<'a> {
    fn new(ty: &'a Ident, unknown: &'a Ident) -> Self {
        Names { ty, unknown }
    }
}

impl VisitMut for Names<'_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if ident == ENUM {
            *ident = self.ty.clone();
        } else if ident == UNKNOWN {
            *ident = self.unknown.clone();
        }
    }
}

/// The placeholder arm of each `match` → one arm per variant, in order.
struct Arms<'a>(&'a [(Ident, String)]);

impl VisitMut for Arms<'_> {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        syn::visit_mut::visit_expr_match_mut(self, m);
        let Some(at) = m.arms.iter_mut().position(names_variant) else {
            return;
        };
        let template = m.arms.remove(at);
        let arms = self.0.iter().map(|(variant, wire)| {
            let mut arm = template.clone();
            Variant { variant, wire }.visit_arm_mut(&mut arm);
            arm
        });
        m.arms.splice(at..at, arms);
    }
}

/// Whether the arm is the placeholder arm (`&mut`: only `VisitMut` is
/// compiled in; nothing is changed).
fn names_variant(arm: &mut syn::Arm) -> bool {
    struct Find(bool);
    impl VisitMut for Find {
        fn visit_ident_mut(&mut self, ident: &mut Ident) {
            self.0 |= ident == VARIANT;
        }
    }
    let mut find = Find(false);
    find.visit_arm_mut(arm);
    find.0
}

/// The variant's placeholders → its identifier and wire string.
struct Variant<'a> {
    variant: &'a Ident,
    wire: &'a str,
}

impl VisitMut for Variant<'_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if ident == VARIANT {
            *ident = self.variant.clone();
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if lit.value() == WIRE {
            *lit = syn::LitStr::new(self.wire, lit.span());
        }
    }
}
