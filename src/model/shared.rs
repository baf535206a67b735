//! [`Shared`]: a profile's text (an action, a citation) shared by every rule and obligation that
//! carries it, interned for the life of the process, so that copying it touches no reference
//! count.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};

/// A value shared by the rules and obligations that carry it: a rule's action text
/// (`Shared<str>`) or its citation (`Shared<Citation>`). Used as the value itself (through
/// `Deref`), shown, compared, hashed, serialised and deserialised as the value, so JSON and
/// `Debug` output are the value's own.
///
/// A profile's texts are **interned**: kept once per process in a registry that deduplicates by
/// value, so that loading the same profile again does not grow memory, and cloning one is a copy
/// of an address (no reference count, which threads sharing a profile would contend for). Two
/// kinds of value are reference-counted instead ([`Shared::counted`]): a text made for one
/// obligation (the authorisation of a rearranged review names its dates), and every value once
/// the registry holds [`MAX_INTERNED_BYTES`] (a long-running host reading many different local
/// profiles keeps a bounded registry).
///
/// ```
/// use lac_timescales::model::Shared;
/// let a = Shared::new("Hold the first looked-after review");
/// let b = Shared::new(String::from("Hold the first looked-after review").as_str());
/// assert!(a.is_interned() && a.as_ptr() == b.as_ptr());
/// assert_eq!(&*a, "Hold the first looked-after review");
/// assert_eq!(serde_json::to_string(&a).unwrap(), r#""Hold the first looked-after review""#);
/// let c: Shared<str> = serde_json::from_str(r#""Hold the first looked-after review""#).unwrap();
/// assert_eq!(c.as_ptr(), a.as_ptr());
/// let own = Shared::<str>::counted("Authorise moving review 2".into());
/// assert!(!own.is_interned());
/// assert_eq!(format!("{own} / {own:?}"), r#"Authorise moving review 2 / "Authorise moving review 2""#);
/// ```
pub struct Shared<T: ?Sized + 'static>(Repr<T>);

enum Repr<T: ?Sized + 'static> {
    Interned(&'static T),
    Counted(Arc<T>),
}

/// The most bytes the registry of interned values holds (about 64 MiB: the built-in profiles
/// take well under 1 MiB). Past it, new values are reference-counted ([`Shared::counted`]).
pub const MAX_INTERNED_BYTES: usize = 64 << 20;

/// What [`Shared`] can intern: a value that can be copied into a box, with its size.
pub trait Intern: Eq + Hash + Send + Sync + 'static {
    /// A copy in a box.
    fn boxed(&self) -> Box<Self>;
    /// The bytes a copy takes, counted against [`MAX_INTERNED_BYTES`].
    fn footprint(&self) -> usize;
}

impl Intern for str {
    fn boxed(&self) -> Box<str> {
        self.into()
    }

    fn footprint(&self) -> usize {
        self.len()
    }
}

/// The interned values of every type (each a set of `&'static T`, by the type), and the bytes
/// they hold.
struct Registry {
    sets: HashMap<TypeId, Box<dyn Any + Send>>,
    bytes: usize,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(Registry { sets: HashMap::new(), bytes: 0 }))
}

impl<T: Intern + ?Sized> Shared<T> {
    /// `value`, interned: the registry's copy, made the first time the value is met.
    pub fn new(value: &T) -> Shared<T> {
        Shared::intern(Source::Borrowed(value))
    }

    /// `value`, interned (its box becomes the registry's copy when the value is new).
    pub fn from_box(value: Box<T>) -> Shared<T> {
        Shared::intern(Source::Boxed(value))
    }

    fn intern(source: Source<'_, T>) -> Shared<T> {
        let value = source.value();
        let mut reg = registry().lock().unwrap_or_else(PoisonError::into_inner);
        let reg = &mut *reg;
        let set = reg
            .sets
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(HashSet::<&'static T>::new()))
            .downcast_mut::<HashSet<&'static T>>();
        let Some(set) = set else {
            // Never: each type's entry is made here with its own set.
            return Shared::counted(Arc::from(source.into_box()));
        };
        if let Some(&v) = set.get(value) {
            return Shared(Repr::Interned(v));
        }
        let size = value.footprint();
        if !fits(reg.bytes, size) {
            return Shared::counted(Arc::from(source.into_box()));
        }
        let v: &'static T = Box::leak(source.into_box());
        set.insert(v);
        reg.bytes += size;
        Shared(Repr::Interned(v))
    }
}

/// A value to intern, and its box when it comes in one.
enum Source<'a, T: ?Sized> {
    Borrowed(&'a T),
    Boxed(Box<T>),
}

impl<T: Intern + ?Sized> Source<'_, T> {
    fn value(&self) -> &T {
        match self {
            Source::Borrowed(v) => v,
            Source::Boxed(b) => b,
        }
    }

    fn into_box(self) -> Box<T> {
        match self {
            Source::Borrowed(v) => v.boxed(),
            Source::Boxed(b) => b,
        }
    }
}

/// Whether a value of `size` bytes may join a registry holding `bytes`.
fn fits(bytes: usize, size: usize) -> bool {
    bytes.checked_add(size).is_some_and(|total| total <= MAX_INTERNED_BYTES)
}

impl<T: ?Sized + 'static> Shared<T> {
    /// `value`, reference-counted rather than interned: for a value made for one obligation.
    pub fn counted(value: Arc<T>) -> Shared<T> {
        Shared(Repr::Counted(value))
    }

    /// Whether the value is interned (else reference-counted).
    pub fn is_interned(&self) -> bool {
        matches!(self.0, Repr::Interned(_))
    }

    /// The interned value, for the life of the process (`None` when reference-counted).
    pub fn as_static(&self) -> Option<&'static T> {
        match self.0 {
            Repr::Interned(v) => Some(v),
            Repr::Counted(_) => None,
        }
    }

    /// The address of the value: the same for every copy of an interned value.
    pub fn as_ptr(&self) -> *const T {
        &**self
    }
}

impl<T: ?Sized + 'static> Clone for Shared<T> {
    /// A copy of the address for an interned value; a reference count otherwise.
    #[inline]
    fn clone(&self) -> Shared<T> {
        Shared(match &self.0 {
            Repr::Interned(v) => Repr::Interned(v),
            Repr::Counted(a) => Repr::Counted(Arc::clone(a)),
        })
    }
}

impl<T: ?Sized + 'static> std::ops::Deref for Shared<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        match &self.0 {
            Repr::Interned(v) => v,
            Repr::Counted(a) => a,
        }
    }
}

impl<T: ?Sized + 'static> AsRef<T> for Shared<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T: ?Sized + 'static> std::borrow::Borrow<T> for Shared<T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: ?Sized + PartialEq + 'static> PartialEq for Shared<T> {
    fn eq(&self, other: &Shared<T>) -> bool {
        std::ptr::eq(self.as_ptr(), other.as_ptr()) || **self == **other
    }
}

impl<T: ?Sized + Eq + 'static> Eq for Shared<T> {}

impl<T: ?Sized + Hash + 'static> Hash for Shared<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<T: ?Sized + PartialOrd + 'static> PartialOrd for Shared<T> {
    fn partial_cmp(&self, other: &Shared<T>) -> Option<std::cmp::Ordering> {
        (**self).partial_cmp(&**other)
    }
}

impl<T: ?Sized + Ord + 'static> Ord for Shared<T> {
    fn cmp(&self, other: &Shared<T>) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl<T: ?Sized + fmt::Debug + 'static> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: ?Sized + fmt::Display + 'static> fmt::Display for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Intern + ?Sized> From<&T> for Shared<T> {
    /// [`Shared::new`].
    fn from(value: &T) -> Shared<T> {
        Shared::new(value)
    }
}

impl<T: ?Sized + Serialize + 'static> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de, T: Intern + ?Sized> Deserialize<'de> for Shared<T>
where
    Box<T>: Deserialize<'de>,
{
    /// The value, interned ([`Shared::from_box`]).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Shared<T>, D::Error> {
        Ok(Shared::from_box(Box::<T>::deserialize(d)?))
    }
}

#[cfg(feature = "schema")]
impl<T: ?Sized + schemars::JsonSchema + 'static> schemars::JsonSchema for Shared<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal values intern to one copy, whichever way they arrive; a counted value equals and
    /// hashes as the interned one; a clone of either is the same value at the same address.
    #[test]
    fn equal_values_share_one_copy() {
        use std::hash::{BuildHasher, RandomState};
        let text = format!("interned test text {}", 17);
        let a = Shared::new(text.as_str());
        let b = Shared::<str>::from_box(text.clone().into_boxed_str());
        let c: Shared<str> = serde_json::from_str(&serde_json::to_string(&text).unwrap()).unwrap();
        let d = Shared::<str>::counted(Arc::from(text.as_str()));
        assert!(a.is_interned() && b.is_interned() && c.is_interned() && !d.is_interned());
        assert_eq!((a.as_ptr(), b.as_ptr()), (c.as_ptr(), c.as_ptr()));
        assert_ne!(d.as_ptr(), a.as_ptr());
        assert_eq!((&a, &b, &c), (&d, &d, &d));
        let h = RandomState::new();
        assert_eq!(h.hash_one(&a), h.hash_one(&d));
        assert_eq!(h.hash_one(&a), h.hash_one(text.as_str()));
        assert_eq!(a.clone().as_ptr(), a.as_ptr());
        assert_eq!(d.clone().as_ptr(), d.as_ptr());
        assert_eq!(a.as_static().map(|s| s as *const str), Some(a.as_ptr()));
        assert_eq!(d.as_static(), None);
        assert_ne!(Shared::new("interned test text 18"), a);
        assert!(Shared::new("interned test text 18") > a);
    }

    /// Interning the same values again gives the registry's copy (no new one), and past the
    /// bound nothing more is interned.
    #[test]
    fn interning_again_makes_no_new_copy() {
        let texts: Vec<String> = (0..100).map(|i| format!("registry growth test {i}")).collect();
        let first: Vec<*const str> = texts.iter().map(|t| Shared::new(t.as_str()).as_ptr()).collect();
        let again: Vec<*const str> = texts.iter().map(|t| Shared::<str>::from_box(t.clone().into()).as_ptr()).collect();
        assert_eq!(first, again);
        assert!(fits(0, MAX_INTERNED_BYTES) && fits(MAX_INTERNED_BYTES - 1, 1));
        assert!(!fits(MAX_INTERNED_BYTES, 1) && !fits(1, MAX_INTERNED_BYTES) && !fits(usize::MAX, 1));
    }
}
