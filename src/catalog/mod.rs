//! The dataset catalog: reading a portal's DCAT-US `data.json`, and keeping the datasets that
//! requests can name.

pub mod dcat;
pub mod import;
pub mod view;
