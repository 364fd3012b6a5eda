// Every code a row or a file can fail with: the API, the error CSV and the screens show them, partners
// filter on them. A typo in a code is a type error.

/** Why a row failed (BulkOperationRow.errorCode). */
export type RowErrorCode =
  | "INVALID_VALUE"
  | "MISSING_REQUIRED_DATA"
  | "MISSING_ORGANIZATION"
  | "MISSING_COURSE_TYPE"
  | "MISSING_COURSE_RUN_TYPE"
  | "PERMISSION_DENIED"
  | "COURSE_NOT_FOUND"
  | "COURSE_RUN_NOT_FOUND"
  | "USER_NOT_FOUND"
  | "USER_ORG_MISMATCH"
  | "UNSUPPORTED_ACTION"
  | "TARGET_CHANGED"
  | "RUN_IN_REVIEW"
  | "DUPLICATE_IN_FILE"
  | "COURSE_CREATE_ERROR"
  | "COURSE_UPDATE_ERROR"
  | "COURSE_RUN_CREATE_ERROR"
  | "COURSE_RUN_UPDATE_ERROR"
  | "COURSE_EDITOR_ADD_ERROR"
  | "COURSE_EDITOR_REMOVE_ERROR";

/** Why a whole file was refused. */
export type FileErrorCode =
  | "EMPTY_FILE"
  | "NO_DATA_ROWS"
  | "BINARY_FILE"
  | "UNSUPPORTED_ENCODING"
  | "UNBALANCED_QUOTES"
  | "MALFORMED_QUOTES"
  | "DUPLICATE_COLUMNS"
  | "MISSING_COLUMNS"
  | "TOO_MANY_ROWS"
  | "MIXED_ENCODINGS";

/** Something about the file worth knowing that did not stop it. */
export type WarningCode = "UNKNOWN_COLUMNS";

/** The error group of failed rows that carry no code (rows stored before codes existed). */
export const UNCODED_ERROR = "UNKNOWN_ERROR";
