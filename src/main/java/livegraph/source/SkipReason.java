package livegraph.source;

/** Why an upstream frame was skipped; each reason is counted separately. */
public enum SkipReason {
  NOT_JSON,
  WRONG_TYPE,
  MISSING_FIELD,
  OTHER_CHANNEL,
  TOO_LARGE,
  BINARY,
  /** Nested deeper than the decoder's limit. */
  TOO_DEEP,
  /** Bytes that are not UTF-8. */
  INVALID_UTF8,
  /** An event time that is neither an epoch number nor an ISO-8601 instant. */
  BAD_TIME
}
