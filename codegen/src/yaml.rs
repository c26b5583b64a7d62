//! YAML text → `serde_yaml::Value`, with integers beyond 64 bits kept.
//!
//! Tools that print 64-bit bounds as doubles write
//! `maximum: 18446744073709552000`; YAML reads that as an integer, which
//! serde_yaml hands over as an `i128`/`u128` that its own `Value` refuses
//! ("invalid type: integer … as i128"), failing the whole file. Here such
//! an integer becomes the nearest double, as JSON parsers read it (and as
//! the tool meant it); normalization then judges it like any bound.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value};

/// Parses YAML like `serde_yaml::from_str::<Value>`, but with wide integers.
pub(crate) fn from_str(source: &str) -> Result<Value, serde_yaml::Error> {
    serde_yaml::from_str::<Wide>(source).map(|w| w.0)
}

struct Wide(Value);

impl<'de> Deserialize<'de> for Wide {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WideVisitor).map(Wide)
    }
}

struct WideVisitor;

impl<'de> Visitor<'de> for WideVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }
    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        Ok(match i64::try_from(i) {
            Ok(i) => Value::Number(i.into()),
            Err(_) => Value::Number(Number::from(i as f64)),
        })
    }
    fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
        Ok(match u64::try_from(u) {
            Ok(u) => Value::Number(u.into()),
            Err(_) => Value::Number(Number::from(u as f64)),
        })
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(f.into()))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Wide::deserialize(d).map(|w| w.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Wide(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some((Wide(k), Wide(v))) = map.next_entry()? {
            out.insert(k, v);
        }
        Ok(Value::Mapping(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!tag value`), as serde_yaml's own Value keeps it.
        use de::VariantAccess;
        let (tag, variant): (String, _) = data.variant()?;
        let Wide(value) = variant.newtype_variant()?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_integers_become_doubles_and_the_rest_is_serde_yaml_s() {
        let text = "a: -9223372036854776000\nb: 18446744073709552000\nc: [1, -2, 3.5, x, ~, true]\nd: !t 5\n<<: {e: 1}\n";
        let wide = from_str(text).unwrap();
        assert_eq!(wide["a"].as_f64(), Some(-9223372036854775808.0));
        assert_eq!(wide["b"].as_f64(), Some(18446744073709551616.0));
        let mut plain: Value = serde_yaml::from_str(
            text.replace("-9223372036854776000", "1")
                .replace("18446744073709552000", "2")
                .as_str(),
        )
        .unwrap();
        let mut ours = from_str(
            &text
                .replace("-9223372036854776000", "1")
                .replace("18446744073709552000", "2"),
        )
        .unwrap();
        plain.apply_merge().unwrap();
        ours.apply_merge().unwrap();
        assert_eq!(ours, plain);
        assert_eq!(
            from_str("n: 18446744073709551615").unwrap()["n"].as_u64(),
            Some(u64::MAX)
        );
    }
}
