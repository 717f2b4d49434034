//! `value!`: builds a template context like `serde_json::json!`, but moves the values
//! it is given instead of copying them.
//!
//! `json!` turns every interpolated expression into a [`Value`] by serializing a
//! reference to it, so a `Value` built by a helper (an entry, a matrix row, a diff's
//! HTML) is copied whole each time it is nested one level deeper; at national scale that
//! copying (and dropping the originals) was a fifth of a republish. `value!` takes the
//! same object and array literals; an expression of type [`Value`], `Vec<Value>`,
//! `Option<Value>` or `String` is moved in, anything else serializable is converted as
//! `json!` would. Write `&x.field` for a field of a borrowed struct, as the move would
//! otherwise not compile.

use serde::Serialize;
use serde_json::Value;

/// An interpolated expression, for the choice below.
pub struct Given<T>(pub T);

/// Expressions already in a template's shape: moved.
pub trait Move {
    fn into_value(self) -> Value;
}

impl Move for Given<Value> {
    fn into_value(self) -> Value {
        self.0
    }
}

impl Move for Given<Vec<Value>> {
    fn into_value(self) -> Value {
        Value::Array(self.0)
    }
}

impl Move for Given<Option<Value>> {
    fn into_value(self) -> Value {
        self.0.unwrap_or(Value::Null)
    }
}

impl Move for Given<String> {
    fn into_value(self) -> Value {
        Value::String(self.0)
    }
}

/// Anything else: serialized, as `json!` does. Implemented for `&Given<T>`, so that
/// method lookup (`Given(x).into_value()`) prefers [`Move`] when it applies.
pub trait Convert {
    fn into_value(self) -> Value;
}

impl<T: Serialize> Convert for &Given<T> {
    fn into_value(self) -> Value {
        // Serializing plain data into a `Value` does not fail (no non-string map keys
        // in template contexts).
        serde_json::to_value(&self.0).unwrap_or(Value::Null)
    }
}

/// Like `serde_json::json!` for objects (`{ "key": value, … }`), arrays (`[a, b]`) and
/// expressions, moving `Value`s and `String`s in (see the module documentation).
macro_rules! value {
    ({ $($body:tt)* }) => {{
        #[allow(unused_mut)]
        let mut map = ::serde_json::Map::new();
        $crate::render::value::value!(@entries map $($body)*);
        ::serde_json::Value::Object(map)
    }};
    ([ $($body:tt)* ]) => {{
        #[allow(unused_mut)]
        let mut items: ::std::vec::Vec<::serde_json::Value> = ::std::vec::Vec::new();
        $crate::render::value::value!(@items items () $($body)*);
        ::serde_json::Value::Array(items)
    }};
    (null) => { ::serde_json::Value::Null };

    // Object entries: a key, a colon, and the value's tokens up to a comma at this level.
    (@entries $m:ident) => {};
    (@entries $m:ident $key:literal : $($rest:tt)*) => {
        $crate::render::value::value!(@entry $m $key () $($rest)*)
    };
    (@entry $m:ident $key:literal ($($v:tt)+) , $($rest:tt)*) => {
        $m.insert(::std::string::String::from($key), $crate::render::value::value!($($v)+));
        $crate::render::value::value!(@entries $m $($rest)*);
    };
    (@entry $m:ident $key:literal ($($v:tt)+)) => {
        $m.insert(::std::string::String::from($key), $crate::render::value::value!($($v)+));
    };
    (@entry $m:ident $key:literal ($($v:tt)*) $next:tt $($rest:tt)*) => {
        $crate::render::value::value!(@entry $m $key ($($v)* $next) $($rest)*)
    };

    // Array items, likewise.
    (@items $a:ident ()) => {};
    (@items $a:ident ($($v:tt)+)) => {
        $a.push($crate::render::value::value!($($v)+));
    };
    (@items $a:ident ($($v:tt)+) , $($rest:tt)*) => {
        $a.push($crate::render::value::value!($($v)+));
        $crate::render::value::value!(@items $a () $($rest)*);
    };
    (@items $a:ident ($($v:tt)*) $next:tt $($rest:tt)*) => {
        $crate::render::value::value!(@items $a ($($v)* $next) $($rest)*)
    };

    // Any other expression.
    ($e:expr) => {{
        #[allow(unused_imports)]
        use $crate::render::value::{Convert as _, Move as _};
        $crate::render::value::Given($e).into_value()
    }};
}

pub(crate) use value;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_what_json_builds() {
        let title = String::from("Tryghed");
        let nested = json!({ "a": [1, 2], "b": null });
        let list = vec![json!(1), json!("to")];
        let opt: Option<Value> = None;
        let words = vec!["et", "to"];
        struct S {
            name: String,
        }
        let s = S {
            name: "Hjørring".into(),
        };
        let ours = value!({
            "title": title.clone(),
            "nested": nested.clone(),
            "list": list.clone(),
            "none": opt.clone(),
            "words": words,
            "name": &s.name,
            "sum": 1 + 2,
            "flag": 3 > 2,
            "inner": { "x": [ { "y": "z" }, 4, null ], "empty": {} },
            "call": format!("{}-{}", 1, 2),
        });
        let theirs = json!({
            "title": title,
            "nested": nested,
            "list": list,
            "none": opt,
            "words": ["et", "to"],
            "name": s.name,
            "sum": 3,
            "flag": true,
            "inner": { "x": [ { "y": "z" }, 4, null ], "empty": {} },
            "call": "1-2",
        });
        assert_eq!(ours, theirs);
        assert_eq!(value!([]), json!([]));
        assert_eq!(value!("x"), json!("x"));
    }
}
