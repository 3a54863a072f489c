//! Enums stored as text: one declaration gives the wire form (serde and, with the `openapi`
//! feature, the OpenAPI enum), the stored form (`as_str`, `FromStr`, `parse`) and, with the
//! `diesel` feature the SPA does not enable, diesel `Text` conversions — so a row holds a
//! `DemandStatus`, not a `String`, and a bad stored value is an error that names where it was
//! stored and what it was, never a silent default.

/// A stored or received text that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} value {value:?} (stored in {stored_in})")]
pub struct UnknownValue {
    /// The enum.
    pub type_name: &'static str,
    /// Where the enum is stored (`table.column`).
    pub stored_in: &'static str,
    /// The text that did not match.
    pub value: String,
}

/// Declares an enum stored as text.
///
/// ```
/// shared::stored_enum! {
///     /// Where a thing stands.
///     pub enum Phase in "things.phase" {
///         /// Being written.
///         Draft = "draft",
///         /// Public.
///         Published = "published",
///     }
/// }
/// assert_eq!(Phase::Draft.as_str(), "draft");
/// assert_eq!("published".parse::<Phase>(), Ok(Phase::Published));
/// assert!("gone".parse::<Phase>().expect_err("unknown").to_string().contains("things.phase"));
/// ```
#[macro_export]
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $stored_in:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
        #[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $text)]
                #[cfg_attr(feature = "openapi", oai(rename = $text))]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Stored / wire form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// Parses the stored / wire form.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::stored::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| $crate::stored::UnknownValue {
                    type_name: stringify!($name),
                    stored_in: $stored_in,
                    value: s.to_owned(),
                })
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                Ok(text.parse::<Self>()?)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::stored_enum! {
        /// A test enum.
        pub enum Phase in "things.phase" {
            /// First.
            Draft = "draft",
            /// Second.
            PendingReview = "pending_review",
        }
    }

    #[test]
    fn round_trips_every_value() {
        for phase in Phase::ALL {
            assert_eq!(phase.as_str().parse::<Phase>(), Ok(*phase));
            assert_eq!(serde_json::to_value(phase).expect("serialises"), serde_json::json!(phase.as_str()));
            assert_eq!(phase.to_string(), phase.as_str());
        }
    }

    #[test]
    fn an_unknown_value_names_the_column_and_the_value() {
        let error = "Pending".parse::<Phase>().expect_err("not a value");
        assert_eq!(error.to_string(), r#"unknown Phase value "Pending" (stored in things.phase)"#);
        assert!(serde_json::from_str::<Phase>(r#""pending""#).is_err());
    }
}
