//! Reading a `multipart/form-data` upload (the API's and the case page's alike): the one file
//! streams into the blob store chunk by chunk, hashed and counted as it arrives; the small
//! text fields beside it are kept. Nothing the size of the file is ever held in memory.

use std::collections::HashMap;
use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::{web, HttpMessage, HttpRequest};
use futures::TryStreamExt;

use super::AppState;
use crate::app::documents::RawUpload;
use crate::app::view::Case;
use crate::app::{AppError, Caller};
use crate::blobs::{BlobError, BlobStore, BlobWriter};
use crate::domain::input::TrackingNumber;

/// The longest text field of an upload form, in bytes (a redaction note is at most 2,000
/// characters; the CSRF token is short).
const MAX_FIELD_BYTES: usize = 16 * 1024;
/// Room for the form's framing and text fields beyond the file itself.
const FORM_OVERHEAD: u64 = 256 * 1024;
/// After the limit is passed, this much more is read and thrown away so the client hears
/// the 413; beyond it the connection is simply closed.
const DRAIN_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("send the file as multipart/form-data")]
    NotMultipart,
    #[error("the file is larger than the limit of {} MiB", .limit / (1024 * 1024))]
    TooLarge { limit: u64 },
    #[error("the upload could not be read: {0}")]
    Malformed(String),
    #[error("{0}: {1}")]
    Field(String, String),
    #[error(transparent)]
    Store(std::io::Error),
}

/// An upload as read: the file (if one was sent) and the text fields.
#[derive(Debug)]
pub struct Upload {
    /// The file's name as the client sent it (unsafe: see `domain::documents::display_name`).
    pub file_name: String,
    pub file: Option<BlobWriter>,
    pub fields: HashMap<String, String>,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// Refuses at once a body its Content-Length says is too large, before any of it is read.
pub fn check_declared_length(req: &HttpRequest, store: &BlobStore) -> Result<(), UploadError> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > store.max_bytes() + FORM_OVERHEAD => Err(UploadError::TooLarge {
            limit: store.max_bytes(),
        }),
        _ => Ok(()),
    }
}

/// Reads the form. `file_field` names the part that carries the file (a second file is
/// refused); `text_fields` the other parts it may have (any other part is refused). Whatever
/// is refused, the rest of the body is read and thrown away (up to a bound) so the client
/// hears the answer rather than a reset connection.
pub async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    store: Arc<BlobStore>,
    file_field: &str,
    text_fields: &[&str],
) -> Result<Upload, UploadError> {
    let is_multipart = matches!(req.mime_type(), Ok(Some(m))
        if m.type_() == actix_web::mime::MULTIPART && m.subtype() == actix_web::mime::FORM_DATA);
    if !is_multipart {
        discard(payload).await;
        return Err(UploadError::NotMultipart);
    }
    if let Err(e) = check_declared_length(req, &store) {
        discard(payload).await;
        return Err(e);
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    // A multipart stream that has answered an error must not be polled again (actix-multipart
    // panics: a Content-Type without a boundary did that), so only a refusal of what was
    // read drains the rest.
    let stream_failed = std::cell::Cell::new(false);
    let read = read_parts(
        &mut multipart,
        store,
        file_field,
        text_fields,
        &stream_failed,
    )
    .await;
    if read.is_err() && !stream_failed.get() {
        drain(&mut multipart).await;
    }
    read
}

async fn read_parts(
    multipart: &mut Multipart,
    store: Arc<BlobStore>,
    file_field: &str,
    text_fields: &[&str],
    stream_failed: &std::cell::Cell<bool>,
) -> Result<Upload, UploadError> {
    let mut upload = Upload {
        file_name: String::new(),
        file: None,
        fields: HashMap::new(),
    };
    let malformed = |e: actix_multipart::MultipartError| {
        stream_failed.set(true);
        UploadError::Malformed(e.to_string())
    };
    // Text parts count too, so a body sent without a length cannot run on forever.
    let mut text_bytes = 0usize;
    while let Some(mut field) = multipart.try_next().await.map_err(malformed)? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_string);
        if name == file_field && file_name.is_some() {
            if upload.file.is_some() {
                return Err(UploadError::Field(
                    "file".into(),
                    "send one file at a time".into(),
                ));
            }
            upload.file_name = file_name.unwrap_or_default();
            let mut writer = {
                let store = store.clone();
                web::block(move || store.begin())
                    .await
                    .map_err(|e| UploadError::Malformed(e.to_string()))?
                    .map_err(store_error)?
            };
            while let Some(chunk) = field.try_next().await.map_err(malformed)? {
                writer = web::block(move || writer.write(&chunk).map(|()| writer))
                    .await
                    .map_err(|e| UploadError::Malformed(e.to_string()))?
                    .map_err(store_error)?;
            }
            upload.file = Some(writer);
        } else if !text_fields.contains(&name.as_str()) {
            return Err(UploadError::Field(
                name,
                "is not a field of this form".into(),
            ));
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = field.try_next().await.map_err(malformed)? {
                if value.len() + chunk.len() > MAX_FIELD_BYTES {
                    return Err(UploadError::Field(
                        name,
                        format!("is longer than {MAX_FIELD_BYTES} bytes"),
                    ));
                }
                value.extend_from_slice(&chunk);
            }
            text_bytes += value.len();
            if text_bytes as u64 > FORM_OVERHEAD {
                return Err(UploadError::TooLarge {
                    limit: store.max_bytes(),
                });
            }
            let value = String::from_utf8(value).map_err(|_| {
                UploadError::Malformed(format!("the field {name:?} is not UTF-8 text"))
            })?;
            match upload.fields.entry(name) {
                std::collections::hash_map::Entry::Occupied(taken) => {
                    return Err(UploadError::Field(
                        taken.key().clone(),
                        "is sent twice".into(),
                    ))
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
            }
        }
    }
    Ok(upload)
}

/// Reads and throws away a body that will not be used, up to `DRAIN_BYTES`; past that the
/// connection is closed with the answer.
pub async fn discard(mut payload: web::Payload) {
    use futures::StreamExt;
    let mut thrown = 0u64;
    while let Some(Ok(chunk)) = payload.next().await {
        thrown += chunk.len() as u64;
        if thrown > DRAIN_BYTES {
            return;
        }
    }
}

fn store_error(e: BlobError) -> UploadError {
    match e {
        BlobError::TooLarge { limit } => UploadError::TooLarge { limit },
        BlobError::Io(e) => UploadError::Store(e),
    }
}

/// Reads and throws away the rest of a refused upload, up to `DRAIN_BYTES`.
async fn drain(multipart: &mut Multipart) {
    let mut thrown = 0u64;
    while let Ok(Some(mut field)) = multipart.try_next().await {
        while let Ok(Some(chunk)) = field.try_next().await {
            thrown += chunk.len() as u64;
            if thrown > DRAIN_BYTES {
                return;
            }
        }
    }
}

/// Why an upload was not attached.
#[derive(Debug)]
pub enum Refused {
    /// The form could not be read, or its file was too large.
    Upload(UploadError),
    /// The form came from elsewhere (the page's CSRF check).
    Form,
    /// The step itself was refused.
    App(AppError),
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Refused {
        Refused::App(e)
    }
}

impl From<UploadError> for Refused {
    fn from(e: UploadError) -> Refused {
        Refused::Upload(e)
    }
}

/// Attaches the file of an upload form, for the API and the case page alike. Who may attach
/// is settled before the body is read (a refusal throws it away); `form_ok` then looks at
/// the form's own fields (`extra_fields`, besides the file, the note and the exemption)
/// before anything is kept.
pub async fn attach(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
    caller: Caller,
    tn: TrackingNumber,
    extra_fields: &[&str],
    form_ok: impl FnOnce(&Upload) -> bool,
) -> Result<Case, Refused> {
    let app = &state.app;
    let may_attach = match check_declared_length(req, app.files()) {
        Err(e) => Err(Refused::Upload(e)),
        Ok(()) => app
            .may_attach(caller.clone(), tn.clone())
            .await
            .map_err(Refused::App),
    };
    if let Err(refused) = may_attach {
        discard(payload).await;
        return Err(refused);
    }
    let mut fields = vec!["redaction_note", "exemption"];
    fields.extend_from_slice(extra_fields);
    let mut upload = read(req, payload, app.files().clone(), "file", &fields).await?;
    if !form_ok(&upload) {
        return Err(Refused::Form);
    }
    let raw = RawUpload {
        file_name: std::mem::take(&mut upload.file_name),
        file: upload.file.take(),
        redaction_note: upload.fields.remove("redaction_note"),
        exemption: upload.fields.remove("exemption"),
    };
    Ok(app.attach_upload(caller, tn, raw).await?)
}
