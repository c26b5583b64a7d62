//! The shape of a generated document and the proptest strategies that
//! build it.
//!
//! Names are indices ([`Nm`]) into the spec's own small vocabulary, not
//! strings: with five or so names shared by every role, one name is bound
//! to turn up as a schema, a property, a parameter, an operationId and an
//! enum value at once, and shrinking a name moves it toward the
//! vocabulary's first entry instead of toward an unrelated string. Each
//! role's rules (a component name's character set, a header's token
//! characters) are applied when the model is rendered
//! ([`super::render`]), so every model renders to a valid document.

use proptest::prelude::*;
use serde_json::Value;

/// An index into [`SpecModel::vocab`] (taken modulo its length).
pub(crate) type Nm = u8;

/// One generated document, before rendering.
#[derive(Clone, Debug)]
pub(crate) struct SpecModel {
    pub vocab: Vec<String>,
    pub schemas: Vec<(Nm, Node)>,
    pub parameters: Vec<(Nm, Param)>,
    pub bodies: Vec<(Nm, Body)>,
    pub responses: Vec<(Nm, Resp)>,
    pub paths: Vec<PathItem>,
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub nullable: bool,
    pub default: Option<Lit>,
    pub example: Option<Lit>,
    /// 0: neither, 1: `readOnly`, 2: `writeOnly`.
    pub access: u8,
}

/// A `default` or `example`: one that fits the schema (worked out when
/// rendering, where `$ref`s resolve), or any JSON value at all.
#[derive(Clone, Debug)]
pub(crate) enum Lit {
    Fitting,
    Any(Value),
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Str {
        format: Option<&'static str>,
        values: Vec<Nm>,
        pattern: bool,
        max_length: Option<u8>,
    },
    Int {
        format: Option<&'static str>,
        values: Vec<i64>,
        minimum: Option<i64>,
    },
    Num {
        format: Option<&'static str>,
    },
    Bool,
    Any,
    Ref(u8),
    Array(Box<Node>),
    Object {
        props: Vec<Prop>,
        additional: Additional,
    },
    Compose(Combinator, Vec<Node>),
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Combinator {
    All,
    One,
    Any,
}

#[derive(Clone, Debug)]
pub(crate) struct Prop {
    pub name: Nm,
    pub schema: Node,
    pub required: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Additional {
    Absent,
    True,
    False,
    Schema(Box<Node>),
}

#[derive(Clone, Debug)]
pub(crate) struct PathItem {
    pub segments: Vec<Seg>,
    /// The path item's own `parameters`, shared by its operations.
    pub shared: Vec<ParamUse>,
    pub operations: Vec<Op>,
}

#[derive(Clone, Debug)]
pub(crate) enum Seg {
    Literal(Nm),
    /// A templated segment; its parameter is declared on the operations.
    Param(Nm, Node, Option<u8>),
}

#[derive(Clone, Debug)]
pub(crate) struct Op {
    pub method: u8,
    pub id: Option<Nm>,
    pub params: Vec<ParamUse>,
    pub body: Option<BodyUse>,
    pub responses: Vec<(u8, RespUse)>,
}

#[derive(Clone, Debug)]
pub(crate) enum ParamUse {
    Inline(Param),
    Ref(u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Loc {
    /// Only for templated segments ([`Seg::Param`]).
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub name: Nm,
    pub location: Loc,
    pub required: bool,
    pub schema: Node,
    /// An index into the styles the location allows, when one is written.
    pub style: Option<u8>,
    pub explode: Option<bool>,
    pub example: Option<Lit>,
}

#[derive(Clone, Debug)]
pub(crate) enum BodyUse {
    Inline(Body),
    Ref(u8),
}

#[derive(Clone, Debug)]
pub(crate) struct Body {
    pub required: bool,
    pub contents: Vec<(Media, Node)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Media {
    Json,
    VendorJson,
    Form,
    Multipart,
    Text,
    Binary,
}

#[derive(Clone, Debug)]
pub(crate) enum RespUse {
    Inline(Resp),
    Ref(u8),
}

#[derive(Clone, Debug)]
pub(crate) struct Resp {
    pub content: Vec<(Media, Node)>,
    pub headers: Vec<(Nm, Node)>,
}

pub(crate) const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];
pub(crate) const STATUSES: [&str; 13] = [
    "200", "201", "202", "204", "206", "301", "400", "404", "422", "500", "default", "2XX", "4XX",
];

// Names that sanitize alike: every spelling of one two-word name, and the
// suffixes that identifier rules drop.
const FAMILY_PATTERNS: [&str; 17] = [
    "{a}_{b}",
    "{a}{B}",
    "{A}{B}",
    "{A}-{B}",
    "{a}-{b}",
    "{a}.{b}",
    "{a} {b}",
    "{a}__{b}",
    "_{a}_{b}",
    "{a}_{b}_",
    "{AU}_{BU}",
    "{a}{b}",
    "{a}[]",
    "{a}<",
    "{a}>",
    "{a}",
    "{A}",
];
const STEMS: [(&str, &str); 5] = [
    ("a", "b"),
    ("user", "id"),
    ("item", "type"),
    ("x", "1"),
    ("next", "page"),
];
const KEYWORDS: [&str; 30] = [
    "type", "self", "crate", "Self", "fn", "super", "mod", "struct", "enum", "match", "async",
    "await", "dyn", "impl", "where", "loop", "in", "use", "pub", "ref", "move", "static", "trait",
    "return", "yield", "abstract", "try", "union", "true", "r#type",
];
const DIGITS: [&str; 7] = ["1", "1a", "2xx", "200", "0_a", "1-b", "3.5"];
const NON_ASCII: [&str; 7] = ["é", "naïve", "日本語", "Ωmega", "straße", "🙂", "e\u{301}"];
const EMPTYISH: [&str; 9] = ["", "_", "-", " ", ".", "__", "$", "@type", "$ref"];
// Names the generated code or its prelude already uses.
const TAKEN: [&str; 30] = [
    "Client",
    "Error",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Value",
    "ResponseValue",
    "ByteStream",
    "types",
    "builder",
    "send",
    "client",
    "body",
    "new",
    "default",
    "Default",
    "Some",
    "None",
    "Ok",
    "Err",
    "serde",
    "std",
    "runtime",
    "reqwest",
    "Map",
    "HashMap",
    "Into",
    "Patch",
];

fn family_name() -> impl Strategy<Value = String> {
    (0..STEMS.len(), 0..FAMILY_PATTERNS.len()).prop_map(|(s, p)| {
        let (a, b) = STEMS[s];
        FAMILY_PATTERNS[p]
            .replace("{AU}", &a.to_uppercase())
            .replace("{BU}", &b.to_uppercase())
            .replace("{A}", &capitalize(a))
            .replace("{B}", &capitalize(b))
            .replace("{a}", a)
            .replace("{b}", b)
    })
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn from(list: &'static [&'static str]) -> impl Strategy<Value = String> + use<> {
    (0..list.len()).prop_map(move |i| list[i].to_owned())
}

/// One name of the pool, weighted toward the families that collide.
pub(crate) fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => family_name(),
        2 => from(&KEYWORDS),
        2 => from(&TAKEN),
        1 => from(&DIGITS),
        1 => from(&NON_ASCII),
        1 => from(&EMPTYISH),
    ]
}

/// Any JSON value, as a `default` or `example` that need not fit.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(0i64),
            Just(-1),
            Just(1),
            Just(i64::MAX),
            Just(i64::MIN)
        ]
        .prop_map(Value::from),
        prop_oneof![Just(1.5f64), Just(-0.0), Just(1e300)].prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        name().prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec((name(), inner), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn lit() -> impl Strategy<Value = Option<Lit>> {
    prop_oneof![
        6 => Just(None),
        2 => Just(Some(Lit::Fitting)),
        1 => any_value().prop_map(|v| Some(Lit::Any(v))),
    ]
}

fn nm() -> impl Strategy<Value = Nm> {
    any::<Nm>()
}

fn leaf_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        3 => (
            prop::option::weighted(
                0.4,
                prop::sample::select(vec![
                    "date-time", "date", "uuid", "byte", "binary", "email", "uri", "ipv4",
                    "password", "custom-format",
                ]),
            ),
            prop_oneof![2 => Just(Vec::new()), 1 => prop::collection::vec(nm(), 1..5)],
            prop::bool::weighted(0.1),
            prop::option::weighted(0.1, 1u8..20),
        )
            .prop_map(|(format, values, pattern, max_length)| Kind::Str {
                format,
                values,
                pattern,
                max_length,
            }),
        2 => (
            prop::option::of(prop::sample::select(vec!["int32", "int64", "uint8", "uint64", "int16"])),
            prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec(-2i64..3, 1..4)],
            prop::option::weighted(0.2, prop_oneof![Just(0i64), Just(1), Just(-5)]),
        )
            .prop_map(|(format, values, minimum)| Kind::Int { format, values, minimum }),
        1 => prop::option::of(prop::sample::select(vec!["float", "double"]))
            .prop_map(|format| Kind::Num { format }),
        1 => Just(Kind::Bool),
        1 => Just(Kind::Any),
        4 => any::<u8>().prop_map(Kind::Ref),
    ]
}

fn decorate(kind: impl Strategy<Value = Kind>) -> impl Strategy<Value = Node> {
    (
        kind,
        prop::bool::weighted(0.2),
        lit(),
        lit(),
        prop_oneof![8 => Just(0u8), 1 => Just(1), 1 => Just(2)],
    )
        .prop_map(|(kind, nullable, default, example, access)| Node {
            kind,
            nullable,
            default,
            example,
            access,
        })
}

/// A schema: scalars, enums and `$ref`s, nested in objects, arrays, maps
/// and compositions a few levels deep.
pub(crate) fn node() -> impl Strategy<Value = Node> {
    decorate(leaf_kind()).prop_recursive(3, 24, 4, |inner| {
        decorate(prop_oneof![
            2 => inner.clone().prop_map(|n| Kind::Array(Box::new(n))),
            4 => (
                prop::collection::vec(
                    (nm(), inner.clone(), any::<bool>())
                        .prop_map(|(name, schema, required)| Prop { name, schema, required }),
                    0..5,
                ),
                prop_oneof![
                    4 => Just(Additional::Absent),
                    1 => Just(Additional::True),
                    1 => Just(Additional::False),
                    2 => inner.clone().prop_map(|n| Additional::Schema(Box::new(n))),
                ],
            )
                .prop_map(|(props, additional)| Kind::Object { props, additional }),
            2 => (
                prop_oneof![Just(Combinator::All), Just(Combinator::One), Just(Combinator::Any)],
                prop::collection::vec(inner, 1..4),
            )
                .prop_map(|(c, members)| Kind::Compose(c, members)),
        ])
    })
}

/// A small scalar schema, for path parameters and headers mostly.
fn scalar_node() -> impl Strategy<Value = Node> {
    decorate(leaf_kind())
}

fn param() -> impl Strategy<Value = Param> {
    (
        nm(),
        prop_oneof![3 => Just(Loc::Query), 2 => Just(Loc::Header), 1 => Just(Loc::Cookie)],
        any::<bool>(),
        prop_oneof![2 => scalar_node(), 1 => node()],
        prop::option::weighted(0.3, 0u8..4),
        prop::option::weighted(0.3, any::<bool>()),
        lit(),
    )
        .prop_map(
            |(name, location, required, schema, style, explode, example)| Param {
                name,
                location,
                required,
                schema,
                style,
                explode,
                example,
            },
        )
}

fn param_use() -> impl Strategy<Value = ParamUse> {
    prop_oneof![
        3 => param().prop_map(ParamUse::Inline),
        1 => any::<u8>().prop_map(ParamUse::Ref),
    ]
}

fn media() -> impl Strategy<Value = Media> {
    prop_oneof![
        6 => Just(Media::Json),
        1 => Just(Media::VendorJson),
        2 => Just(Media::Form),
        2 => Just(Media::Multipart),
        1 => Just(Media::Text),
        1 => Just(Media::Binary),
    ]
}

fn body() -> impl Strategy<Value = Body> {
    (
        any::<bool>(),
        prop::collection::vec((media(), node()), 1..3),
    )
        .prop_map(|(required, contents)| Body { required, contents })
}

fn resp() -> impl Strategy<Value = Resp> {
    (
        prop::collection::vec((media(), node()), 0..2),
        prop::collection::vec((nm(), scalar_node()), 0..2),
    )
        .prop_map(|(content, headers)| Resp { content, headers })
}

fn op() -> impl Strategy<Value = Op> {
    (
        0..METHODS.len() as u8,
        prop::option::weighted(0.85, nm()),
        prop::collection::vec(param_use(), 0..4),
        prop::option::weighted(
            0.5,
            prop_oneof![
                3 => body().prop_map(BodyUse::Inline),
                1 => any::<u8>().prop_map(BodyUse::Ref),
            ],
        ),
        prop::collection::vec(
            (
                0..STATUSES.len() as u8,
                prop_oneof![
                    3 => resp().prop_map(RespUse::Inline),
                    1 => any::<u8>().prop_map(RespUse::Ref),
                ],
            ),
            1..3,
        ),
    )
        .prop_map(|(method, id, params, body, responses)| Op {
            method,
            id,
            params,
            body,
            responses,
        })
}

fn path_item() -> impl Strategy<Value = PathItem> {
    (
        prop::collection::vec(
            prop_oneof![
                2 => nm().prop_map(Seg::Literal),
                1 => (nm(), scalar_node(), prop::option::weighted(0.2, 0u8..3))
                    .prop_map(|(n, s, style)| Seg::Param(n, s, style)),
                1 => (nm(), node(), prop::option::weighted(0.3, 0u8..3))
                    .prop_map(|(n, s, style)| Seg::Param(n, s, style)),
            ],
            0..4,
        ),
        prop::collection::vec(param_use(), 0..2),
        prop::collection::vec(op(), 1..3),
    )
        .prop_map(|(segments, shared, operations)| PathItem {
            segments,
            shared,
            operations,
        })
}

/// A whole document: a vocabulary of 2–7 names, up to 4 component schemas,
/// shared parameters, bodies and responses, and 1–3 paths.
pub(crate) fn spec() -> impl Strategy<Value = SpecModel> {
    (
        prop::collection::vec(name(), 2..8),
        prop::collection::vec((nm(), node()), 0..5),
        prop::collection::vec((nm(), param()), 0..3),
        prop::collection::vec((nm(), body()), 0..2),
        prop::collection::vec((nm(), resp()), 0..2),
        prop::collection::vec(path_item(), 1..4),
    )
        .prop_map(
            |(vocab, schemas, parameters, bodies, responses, paths)| SpecModel {
                vocab,
                schemas,
                parameters,
                bodies,
                responses,
                paths,
            },
        )
}
