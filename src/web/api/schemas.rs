//! The OpenAPI schemas of the domain's own types, written here so `domain` stays free of the
//! API's tooling. Each says what the type's serde form is: its names, and what it means.

use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::input::Responsible;
use crate::domain::{Circumstance, RequestKind, Role, Status};

/// A string that is one of `names`.
fn names(
    names: impl IntoIterator<Item = &'static str>,
    description: Option<&str>,
) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .description(description)
        .enum_values(Some(names))
        .into()
}

/// Each enum's schema: its names, and what it is.
macro_rules! named {
    ($($ty:ident: $description:expr;)*) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                names($ty::ALL.map($ty::as_str), $description)
            }
        }

        impl ToSchema for $ty {}
    )*};
}

named! {
    Status: Some("Where a request stands (docs/PRODUCT.md). Stored as its API name.");
    RequestKind: Some("What is being asked for.");
    Role: None;
    Circumstance: Some(
        "The statutory \"unusual circumstances\" that justify an extension (Gov. Code §7922.535(c))."
    );
}

impl PartialSchema for Responsible {
    fn schema() -> RefOr<Schema> {
        let text = || ObjectBuilder::new().schema_type(SchemaType::new(Type::String));
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Object))
            .description(Some(
                "A person responsible for a denial, named with their title (Gov. Code §7922.540).",
            ))
            .property("name", text())
            .property("title", text())
            .required("name")
            .required("title")
            .into()
    }
}

impl ToSchema for Responsible {}
