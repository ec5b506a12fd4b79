//! What the server allows one request, and the error a request gets when it asks for more
//! or for something wrong: the bounds every API function and the cost model check against.

use hopfield::excerpt;

/// The most neurons a request may have (a 256×256 grid).
pub const MAX_NEURONS: usize = 65_536;
/// The most stored patterns a request may send.
pub const MAX_PATTERNS: usize = 1024;
/// The largest request body, in bytes (larger bodies get 413).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// The most steps one recall may take.
pub const MAX_STEPS: usize = 1_000_000;
/// The most work one request may ask for, in work units of [`super::cost`] (about a
/// nanosecond each): about two seconds of computation.
pub const MAX_WORK: u64 = 2_000_000_000;
/// Requests estimated at no more than this much work are quick: they have slots of their
/// own and never wait behind heavy ones.
pub const QUICK_WORK: u64 = 50_000_000;
/// The most per-step measures one recall may return: `(steps + 1) · (P + 1)` numbers.
pub const MAX_MEASURES: u64 = 1_048_576;
/// The most state cells one recall may record: `(steps + 1) · N` when `states` is asked.
pub const MAX_STATE_CELLS: u64 = 67_108_864;
/// The most state cells one recall may return: `(⌊steps / states_every⌋ + 2) · N`.
pub const MAX_RETURNED_CELLS: u64 = 4_194_304;
/// The largest side of the weight-matrix image.
pub const MAX_WEIGHTS_SIDE: usize = 256;
/// The longest text the `text` generator takes, in characters.
pub const MAX_TEXT_CHARS: usize = 64;
/// Neurons at most for the rules that form the dense `N × N` matrix.
pub const MAX_DENSE_NEURONS: usize = 4096;
/// The most epochs of perceptron learning (fewer when the work limit says so).
pub const MAX_EPOCHS: usize = 1000;

/// A request that cannot be served: an HTTP status and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status code (400 for bad input).
    pub status: u16,
    /// What is wrong, in one line.
    pub message: String,
}

impl ApiError {
    /// A 400 Bad Request with this message.
    pub fn bad(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            message: message.into(),
        }
    }
}

impl From<hopfield::Error> for ApiError {
    fn from(e: hopfield::Error) -> Self {
        match e {
            // The value is the request's own text: echo a safe excerpt of it.
            hopfield::Error::Parameter {
                name,
                value,
                reason,
            } => ApiError::bad(format!("{name} = {} is invalid: {reason}", excerpt(&value))),
            hopfield::Error::Cancelled => ApiError {
                status: 503,
                message: "the request was given up before it finished".into(),
            },
            e => ApiError::bad(e.to_string()),
        }
    }
}

/// The result of an API function.
pub type ApiResult<T> = Result<T, ApiError>;
