package livegraph.source;

/** Why an upstream frame was skipped; each reason is counted separately. */
public enum SkipReason {
  NOT_JSON,
  WRONG_TYPE,
  MISSING_FIELD,
  OTHER_CHANNEL,
  TOO_LARGE,
  BINARY
}
