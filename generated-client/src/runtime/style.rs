//! OpenAPI's `style`/`explode` serialization (3.x "Style Examples"), for
//! query parameters and `application/x-www-form-urlencoded` fields.
//!
//! A value is first turned into a [`Node`], a JSON tree that keeps the
//! field order of the Rust type (`serde_json::Value` would sort object
//! keys, and `R,100,G,200` would come out as `B,150,G,200`). Each name and
//! value is percent-encoded on its own, everything but RFC 3986's
//! unreserved characters, before the style joins them: a comma inside a
//! value arrives as `%2C`, the comma between items bare. The delimiters
//! RFC 3986 does not allow bare in a query are written percent-encoded, as
//! OpenAPI's style table (3.0.4 §4.7.12.4, 3.1.1 §4.8.12.4) writes them:
//! `|` as `%7C`, the brackets of `deepObject` as `%5B`/`%5D`, the space of
//! `spaceDelimited` as `%20`. (For `|` and space that makes a delimiter
//! and the same character inside a value look alike; the spec accepts
//! that ambiguity, and servers split on the decoded character.)

use std::fmt::{self, Write};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::error::Error;

/// Everything but RFC 3986's unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a parameter or form field is serialized: OpenAPI's `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `form` (the default for query parameters and form fields):
    /// `color=blue,black` or, exploded, `color=blue&color=black`; an
    /// exploded object is one pair per property (`R=100&G=200`).
    Form,
    /// `spaceDelimited`: `color=blue%20black` (exploded: as `form`).
    SpaceDelimited,
    /// `pipeDelimited`: `color=blue%7Cblack` (exploded: as `form`).
    PipeDelimited,
    /// `deepObject`: `color[R]=100&color[G]=200` (brackets sent as `%5B`
    /// and `%5D`), nested objects as `a[b][c]=` and arrays inside as
    /// `a[b][0]=`. A scalar or array at the top is written as exploded
    /// `form`.
    DeepObject,
    /// Not a style: a parameter whose spec gives `content:
    /// {application/json: ..}` instead of a `schema`, sent as one JSON text
    /// (`filter=%7B%22a%22%3A1%7D`); `explode` does not apply.
    Json,
}

/// A JSON value in the order it was serialized.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Null,
    /// A string as it is, a number or boolean as JSON writes it.
    Scalar(String, bool),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    pub(super) fn from<T: Serialize + ?Sized>(value: &T, name: &str) -> Result<Node, Error> {
        let fail = |e: serde_json::Error| {
            Error::invalid_request(format!("`{name}` does not serialize: {e}"))
        };
        let json = serde_json::to_string(value).map_err(fail)?;
        serde_json::from_str(&json).map_err(fail)
    }

    /// A list with an object or a list among its items.
    fn has_nested_items(&self) -> bool {
        matches!(self, Node::List(items)
            if items.iter().any(|i| matches!(i, Node::List(_) | Node::Map(_))))
    }

    /// The text of a scalar; JSON for a nested list or map.
    fn text(&self) -> String {
        match self {
            Node::Null => String::new(),
            Node::Scalar(text, _) => text.clone(),
            // Serializing a tree of strings and vectors cannot fail.
            nested => serde_json::to_string(nested).unwrap_or_default(),
        }
    }
}

/// Appends `name` per `style` and `explode` to `out`: `&`-joined pairs,
/// percent-encoded, with a leading `&` when `out` is not empty. A `null`
/// value (an unset `Option`) adds nothing.
pub(super) fn append(
    out: &mut String,
    name: &str,
    value: &impl Serialize,
    style: Style,
    explode: bool,
) -> Result<(), Error> {
    let node = Node::from(value, name)?;
    // No style writes an object or array inside an array (OpenAPI leaves
    // it undefined), and one JSON text per item splits on its commas as
    // readily as on the delimiter. APIs that take such a parameter read
    // the whole array as JSON text (Box's `mdfilters=[{"scope":…}]`).
    if node.has_nested_items() {
        Pairs { out }.pair(&encoded(name), &node.text());
        return Ok(());
    }
    append_node(out, name, &node, style, explode);
    Ok(())
}

/// How a path parameter is written into its segment: OpenAPI's `style`
/// of `in: path` (3.0.4 §4.7.12.4, RFC 6570's `{x}`, `{.x}`, `{;x}`).
/// Header parameters have only `Simple`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathStyle {
    /// `blue`, `blue,black`, `R,100,G,200` (exploded `R=100,G=200`).
    Simple,
    /// `.blue`, `.blue,black` (exploded `.blue.black`), `.R,100,G,200`
    /// (exploded `.R=100.G=200`).
    Label,
    /// `;color=blue`, `;color=blue,black` (exploded
    /// `;color=blue;color=black`), `;color=R,100,G,200` (exploded
    /// `;R=100;G=200`).
    Matrix,
}

/// The text of a path or header parameter `name` in `style`: a scalar as
/// its text, an array's items and an object's names and values joined as
/// the style says; `null` (an unset `Option`, `()`) as the style's empty
/// value (nothing, `.`, `;name`), as is an empty string, array or object.
/// With `encode` (a path segment) each name and value is percent-encoded,
/// all but RFC 3986's unreserved characters, the delimiters between them
/// bare; a header's text is left as it is. An object or array inside an
/// array or object is its JSON text, as in a query. A `null` property is
/// left out.
pub(crate) fn styled<T: Serialize + ?Sized>(
    value: &T,
    name: &str,
    style: PathStyle,
    explode: bool,
    encode: bool,
) -> Result<String, Error> {
    let node = Node::from(value, name)?;
    let text = |t: &str| {
        if encode { encoded(t) } else { t.to_owned() }
    };
    // What each style writes: before the whole value, between the items
    // of an exploded array or object, between those of one not exploded,
    // and whether an item carries the parameter's name (matrix).
    let (prefix, exploded_separator) = match style {
        PathStyle::Simple => ("", ","),
        PathStyle::Label => (".", "."),
        PathStyle::Matrix => (";", ";"),
    };
    let key = text(name);
    // `;name=value`, or `;name` for an empty value (RFC 6570's `ifemp`).
    let matrix = |key: &str, value: &str| {
        if value.is_empty() {
            format!(";{key}")
        } else {
            format!(";{key}={value}")
        }
    };
    let empty = match style {
        PathStyle::Matrix => format!(";{key}"),
        _ => prefix.to_owned(),
    };
    let items: Vec<String> = match &node {
        Node::Null => return Ok(empty),
        Node::Scalar(t, _) => vec![text(t)],
        Node::List(items) => items.iter().map(|i| text(&i.text())).collect(),
        Node::Map(fields) => {
            let fields: Vec<(String, String)> = fields
                .iter()
                .filter(|(_, value)| *value != Node::Null)
                .map(|(field, value)| (text(field), text(&value.text())))
                .collect();
            if fields.is_empty() {
                return Ok(empty);
            }
            return Ok(match (style, explode) {
                (PathStyle::Matrix, true) => fields.iter().map(|(k, v)| matrix(k, v)).collect(),
                (_, true) => {
                    let pairs: Vec<String> =
                        fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!("{prefix}{}", pairs.join(exploded_separator))
                }
                (_, false) => {
                    let flat: Vec<&str> = fields
                        .iter()
                        .flat_map(|(k, v)| [k.as_str(), v.as_str()])
                        .collect();
                    match style {
                        PathStyle::Matrix => matrix(&key, &flat.join(",")),
                        _ => format!("{prefix}{}", flat.join(",")),
                    }
                }
            });
        }
    };
    if items.is_empty() {
        return Ok(empty);
    }
    Ok(match (style, explode) {
        (PathStyle::Matrix, true) => items.iter().map(|i| matrix(&key, i)).collect(),
        (PathStyle::Matrix, false) => matrix(&key, &items.join(",")),
        (_, true) => format!("{prefix}{}", items.join(exploded_separator)),
        (_, false) => format!("{prefix}{}", items.join(",")),
    })
}

/// Like [`append`], for a value already turned into a [`Node`].
pub(super) fn append_node(out: &mut String, name: &str, node: &Node, style: Style, explode: bool) {
    write(&mut Pairs { out }, name, node, style, explode);
}

struct Pairs<'a> {
    out: &'a mut String,
}

impl Pairs<'_> {
    /// `key=value`, both encoded here; `raw_key` is already encoded.
    fn pair(&mut self, raw_key: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        let _ = write!(
            self.out,
            "{raw_key}={}",
            utf8_percent_encode(value, COMPONENT)
        );
    }

    /// `key=a<d>b<d>c`: each item encoded, the delimiter as given.
    fn joined(&mut self, key: &str, items: impl Iterator<Item = String>, delimiter: &str) {
        let value: Vec<String> = items
            .map(|item| utf8_percent_encode(&item, COMPONENT).to_string())
            .collect();
        if !self.out.is_empty() {
            self.out.push('&');
        }
        let _ = write!(self.out, "{key}={}", value.join(delimiter));
    }
}

fn encoded(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

fn write(pairs: &mut Pairs<'_>, name: &str, node: &Node, style: Style, explode: bool) {
    let key = encoded(name);
    if style == Style::Json {
        if *node != Node::Null {
            // Serializing a tree of strings and vectors cannot fail.
            pairs.pair(&key, &serde_json::to_string(node).unwrap_or_default());
        }
        return;
    }
    let delimiter = match style {
        Style::Form | Style::DeepObject | Style::Json => ",",
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "%7C",
    };
    match node {
        Node::Null => {}
        Node::Scalar(text, _) => pairs.pair(&key, text),
        Node::List(items) if items.is_empty() => pairs.pair(&key, ""),
        Node::List(items) if explode || style == Style::DeepObject => {
            for item in items {
                pairs.pair(&key, &item.text());
            }
        }
        Node::List(items) => pairs.joined(&key, items.iter().map(Node::text), delimiter),
        Node::Map(fields) if style == Style::DeepObject => deep(pairs, &key, fields),
        Node::Map(fields) if fields.is_empty() => pairs.pair(&key, ""),
        Node::Map(fields) if explode => {
            for (field, value) in fields {
                if *value != Node::Null {
                    pairs.pair(&encoded(field), &value.text());
                }
            }
        }
        Node::Map(fields) => {
            let flat = fields
                .iter()
                .filter(|(_, value)| *value != Node::Null)
                .flat_map(|(field, value)| [field.clone(), value.text()]);
            pairs.joined(&key, flat, delimiter);
        }
    }
}

/// `prefix[field]=value`, recursively.
fn deep(pairs: &mut Pairs<'_>, prefix: &str, fields: &[(String, Node)]) {
    for (field, value) in fields {
        deep_node(pairs, &format!("{prefix}%5B{}%5D", encoded(field)), value);
    }
}

fn deep_node(pairs: &mut Pairs<'_>, key: &str, node: &Node) {
    match node {
        Node::Null => {}
        Node::Scalar(text, _) => pairs.pair(key, text),
        Node::List(items) => {
            for (i, item) in items.iter().enumerate() {
                deep_node(pairs, &format!("{key}%5B{i}%5D"), item);
            }
        }
        Node::Map(fields) => deep(pairs, key, fields),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string(), false))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string(), false))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string(), false))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        // As JSON writes it (`1.5`, `1e300`).
        Ok(Node::Scalar(
            serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
            false,
        ))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_owned(), true))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(v, true))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some(entry) = map.next_entry::<String, Node>()? {
            fields.push(entry);
        }
        Ok(Node::Map(fields))
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Scalar(text, true) => serializer.serialize_str(text),
            Node::Scalar(text, false) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(value) => value.serialize(serializer),
                Err(_) => serializer.serialize_str(text),
            },
            Node::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The OpenAPI 3.x "Style Examples" table, for a parameter `color`
    //! that is `"blue"`, `["blue","black","brown"]` or
    //! `{"R":100,"G":200,"B":150}`, in query position.

    use super::{PathStyle, Style, append};
    use serde::Serialize;

    #[derive(Serialize)]
    #[allow(non_snake_case)]
    struct Rgb {
        R: u32,
        G: u32,
        B: u32,
    }

    const RGB: Rgb = Rgb {
        R: 100,
        G: 200,
        B: 150,
    };
    const ARRAY: [&str; 3] = ["blue", "black", "brown"];

    fn query(value: &impl Serialize, style: Style, explode: bool) -> String {
        let mut out = String::new();
        append(&mut out, "color", value, style, explode).unwrap();
        out
    }

    #[test]
    fn form_not_exploded() {
        assert_eq!(query(&"blue", Style::Form, false), "color=blue");
        assert_eq!(query(&ARRAY, Style::Form, false), "color=blue,black,brown");
        assert_eq!(query(&RGB, Style::Form, false), "color=R,100,G,200,B,150");
        assert_eq!(query(&[(); 0], Style::Form, false), "color=");
    }

    #[test]
    fn form_exploded() {
        assert_eq!(query(&"blue", Style::Form, true), "color=blue");
        assert_eq!(
            query(&ARRAY, Style::Form, true),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(query(&RGB, Style::Form, true), "R=100&G=200&B=150");
        assert_eq!(query(&Vec::<String>::new(), Style::Form, true), "color=");
    }

    #[test]
    fn space_delimited() {
        assert_eq!(
            query(&ARRAY, Style::SpaceDelimited, false),
            "color=blue%20black%20brown"
        );
        assert_eq!(
            query(&RGB, Style::SpaceDelimited, false),
            "color=R%20100%20G%20200%20B%20150"
        );
        // Exploded, as `form`.
        assert_eq!(
            query(&ARRAY, Style::SpaceDelimited, true),
            "color=blue&color=black&color=brown"
        );
    }

    #[test]
    fn pipe_delimited() {
        assert_eq!(
            query(&ARRAY, Style::PipeDelimited, false),
            "color=blue%7Cblack%7Cbrown"
        );
        assert_eq!(
            query(&RGB, Style::PipeDelimited, false),
            "color=R%7C100%7CG%7C200%7CB%7C150"
        );
    }

    #[test]
    fn deep_object() {
        assert_eq!(
            query(&RGB, Style::DeepObject, true),
            "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"
        );
        let nested = serde_json::json!({"a": {"b": [1, "x y"]}, "n": null});
        assert_eq!(
            query(&nested, Style::DeepObject, true),
            "color%5Ba%5D%5Bb%5D%5B0%5D=1&color%5Ba%5D%5Bb%5D%5B1%5D=x%20y"
        );
        assert_eq!(
            query(&ARRAY, Style::DeepObject, true),
            "color=blue&color=black&color=brown"
        );
    }

    #[test]
    fn values_are_encoded_and_delimiters_are_not() {
        assert_eq!(
            query(&["a,b", "c|d", "é&=+"], Style::Form, false),
            "color=a%2Cb,c%7Cd,%C3%A9%26%3D%2B"
        );
        let mut out = String::from("x=1");
        append(&mut out, "a b[", &"~-._", Style::Form, true).unwrap();
        assert_eq!(out, "x=1&a%20b%5B=~-._");
    }

    #[test]
    fn none_adds_nothing_and_nested_values_are_json() {
        assert_eq!(query(&None::<u32>, Style::Form, true), "");
        let object = serde_json::json!({"k": [1, 2], "s": "a"});
        assert_eq!(
            query(&object, Style::Form, true),
            "k=%5B1%2C2%5D&s=a",
            "an array inside an object is JSON text"
        );
    }

    #[test]
    fn an_array_of_objects_or_arrays_is_one_json_text() {
        let value = serde_json::json!([{"k": 1, "t": "a,b"}, 2.5]);
        let json = "color=%5B%7B%22k%22%3A1%2C%22t%22%3A%22a%2Cb%22%7D%2C2.5%5D";
        // deepObject writes an array at the top as exploded `form`.
        for style in [
            Style::Form,
            Style::SpaceDelimited,
            Style::PipeDelimited,
            Style::DeepObject,
        ] {
            for explode in [false, true] {
                assert_eq!(query(&value, style, explode), json, "{style:?} {explode}");
            }
        }
        assert_eq!(
            query(&serde_json::json!([[1, 2]]), Style::Form, true),
            "color=%5B%5B1%2C2%5D%5D"
        );
    }

    #[test]
    fn json_is_one_json_text_in_field_order() {
        assert_eq!(
            query(&RGB, Style::Json, true),
            "color=%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D"
        );
        // A string is JSON text too: quoted, unlike every style.
        assert_eq!(query(&"a b", Style::Json, false), "color=%22a%20b%22");
        assert_eq!(
            query(&ARRAY, Style::Json, false),
            "color=%5B%22blue%22%2C%22black%22%2C%22brown%22%5D"
        );
        assert_eq!(query(&None::<Rgb>, Style::Json, false), "");
    }

    fn path(value: &impl Serialize, style: PathStyle, explode: bool) -> String {
        super::styled(value, "color", style, explode, true).unwrap()
    }

    #[test]
    fn simple_as_the_style_table_writes_it() {
        use super::styled;
        let simple = PathStyle::Simple;

        assert_eq!(path(&"blue", simple, false), "blue");
        assert_eq!(path(&ARRAY, simple, false), "blue,black,brown");
        assert_eq!(path(&ARRAY, simple, true), "blue,black,brown");
        assert_eq!(path(&RGB, simple, false), "R,100,G,200,B,150");
        assert_eq!(path(&RGB, simple, true), "R=100,G=200,B=150");
        // Each value encoded for a path segment, the delimiters bare.
        assert_eq!(
            path(&["a,b", "c/d é"], simple, false),
            "a%2Cb,c%2Fd%20%C3%A9"
        );
        assert_eq!(
            styled(&["a b", "c"], "h", simple, false, false).unwrap(),
            "a b,c"
        );
        let object = serde_json::json!({"k": "v", "n": null, "l": [1, 2]});
        assert_eq!(
            styled(&object, "h", simple, true, false).unwrap(),
            "k=v,l=[1,2]",
            "null left out, nested JSON text"
        );
        assert_eq!(path(&None::<u32>, simple, false), "");
        assert_eq!(path(&(), simple, true), "");
    }

    /// The table's `label` rows, as 3.0.4 and RFC 6570's `{.x}` / `{.x*}`
    /// write them (3.0.3's table joins an unexploded array with `.`, an
    /// erratum 3.0.4 corrected).
    #[test]
    fn label_as_the_style_table_writes_it() {
        let label = PathStyle::Label;
        for explode in [false, true] {
            assert_eq!(path(&(), label, explode), ".");
            assert_eq!(path(&"", label, explode), ".");
            assert_eq!(path(&"blue", label, explode), ".blue");
            assert_eq!(path(&[(); 0], label, explode), ".");
        }
        assert_eq!(path(&ARRAY, label, false), ".blue,black,brown");
        assert_eq!(path(&ARRAY, label, true), ".blue.black.brown");
        assert_eq!(path(&RGB, label, false), ".R,100,G,200,B,150");
        assert_eq!(path(&RGB, label, true), ".R=100.G=200.B=150");
        assert_eq!(path(&["a.b", "c;d"], label, true), ".a.b.c%3Bd");
        assert_eq!(path(&5, label, false), ".5");
    }

    /// The table's `matrix` rows (RFC 6570's `{;x}` / `{;x*}`).
    #[test]
    fn matrix_as_the_style_table_writes_it() {
        let matrix = PathStyle::Matrix;
        for explode in [false, true] {
            assert_eq!(path(&(), matrix, explode), ";color");
            assert_eq!(path(&"", matrix, explode), ";color");
            assert_eq!(path(&"blue", matrix, explode), ";color=blue");
            assert_eq!(path(&Vec::<u8>::new(), matrix, explode), ";color");
        }
        assert_eq!(path(&ARRAY, matrix, false), ";color=blue,black,brown");
        assert_eq!(
            path(&ARRAY, matrix, true),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(path(&RGB, matrix, false), ";color=R,100,G,200,B,150");
        assert_eq!(path(&RGB, matrix, true), ";R=100;G=200;B=150");
        assert_eq!(
            super::styled(&"x;y=z", "a b", matrix, false, true).unwrap(),
            ";a%20b=x%3By%3Dz",
            "the name encoded too"
        );
        let sparse = serde_json::json!({"k": "", "n": null, "m": 1.5});
        assert_eq!(path(&sparse, matrix, true), ";k;m=1.5");
    }
}
