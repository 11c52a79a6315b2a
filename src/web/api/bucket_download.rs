//! A stored file sent from the S3-compatible bucket (`files.backend = "s3"`), answering what
//! `actix_files::NamedFile` answers for the local folder: one byte range (206 with its
//! Content-Range, 416 beyond the end), the hash as ETag and the object's Last-Modified
//! (304 to If-None-Match and If-Modified-Since), otherwise the whole file. The bytes stream
//! from the bucket as they arrive; none are kept.

use std::time::{Duration, SystemTime};

use actix_web::body::SizedStream;
use actix_web::http::header::{self, EntityTag, Header};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use futures::StreamExt;

use crate::blobs::{Bucket, ObjectInfo};
use crate::web::error::ApiError;

/// The answer, before the caller adds its name, type, digest and caching headers.
pub async fn respond(
    bucket: &Bucket,
    req: &HttpRequest,
    sha256: &str,
) -> Result<HttpResponse, ApiError> {
    let object = bucket.head(sha256).await.map_err(|e| {
        log::error!(
            "[{}] stored file {} cannot be opened: {e}",
            crate::web::request_id::current(),
            bucket.name(sha256)
        );
        ApiError::internal()
    })?;
    let etag = EntityTag::new_strong(sha256.to_string());
    let modified = last_modified(&object);
    if not_modified(req, &etag, modified) {
        return Ok(HttpResponse::NotModified()
            .insert_header(header::ETag(etag))
            .insert_header(header::LastModified(modified.into()))
            .finish());
    }
    let mut response = HttpResponse::Ok();
    response
        .insert_header(header::ETag(etag.clone()))
        .insert_header(header::LastModified(modified.into()))
        .insert_header((header::ACCEPT_RANGES, "bytes"));
    let range = match wanted_range(req, &etag, object.size) {
        Wanted::Whole => None,
        Wanted::Part(start, end) => {
            response.status(StatusCode::PARTIAL_CONTENT).insert_header((
                header::CONTENT_RANGE,
                format!("bytes {start}-{end}/{}", object.size),
            ));
            Some(start..end + 1)
        }
        Wanted::Beyond => {
            return Ok(HttpResponse::RangeNotSatisfiable()
                .insert_header((header::CONTENT_RANGE, format!("bytes */{}", object.size)))
                .finish());
        }
    };
    let length = range.as_ref().map_or(object.size, |r| r.end - r.start);
    let name = bucket.name(sha256);
    let id = crate::web::request_id::current();
    let bytes = bucket.stream(sha256, range).map(move |chunk| {
        chunk.inspect_err(|e| log::error!("[{id}] stored file {name} stopped arriving: {e}"))
    });
    Ok(response.body(SizedStream::new(length, bytes)))
}

/// The object's time to the second, as HTTP dates say it.
fn last_modified(object: &ObjectInfo) -> SystemTime {
    let seconds = u64::try_from(object.last_modified.timestamp()).unwrap_or(0);
    SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
}

/// If-None-Match, or failing it If-Modified-Since, says the caller has these bytes.
fn not_modified(req: &HttpRequest, etag: &EntityTag, modified: SystemTime) -> bool {
    if req.headers().contains_key(header::IF_NONE_MATCH) {
        return match header::IfNoneMatch::parse(req) {
            Ok(header::IfNoneMatch::Any) => true,
            Ok(header::IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(etag)),
            Err(_) => false,
        };
    }
    match header::IfModifiedSince::parse(req) {
        Ok(header::IfModifiedSince(since)) => modified <= SystemTime::from(since),
        Err(_) => false,
    }
}

enum Wanted {
    Whole,
    /// From the first byte to the last, both included.
    Part(u64, u64),
    Beyond,
}

/// One byte range asked for (and, with If-Range, only of these bytes); several ranges, or a
/// header that does not read, get the whole file as RFC 9110 allows.
fn wanted_range(req: &HttpRequest, etag: &EntityTag, size: u64) -> Wanted {
    if !req.headers().contains_key(header::RANGE) {
        return Wanted::Whole;
    }
    if req.headers().contains_key(header::IF_RANGE) {
        match header::IfRange::parse(req) {
            Ok(header::IfRange::EntityTag(tag)) if tag.strong_eq(etag) => {}
            // Another tag, or a date: the ETag is what names these bytes.
            _ => return Wanted::Whole,
        }
    }
    let Ok(header::Range::Bytes(specs)) = header::Range::parse(req) else {
        return Wanted::Whole;
    };
    match specs.as_slice() {
        [spec] => match spec.to_satisfiable_range(size) {
            Some((start, end)) => Wanted::Part(start, end),
            None => Wanted::Beyond,
        },
        _ => Wanted::Whole,
    }
}
