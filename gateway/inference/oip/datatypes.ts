/**
 * The Open Inference Protocol's tensor data types (`FP32`, `INT64`, `BYTES`...) and how each maps to an
 * onnxruntime tensor type and a typed array, with the check and conversion of one JSON element of each type.
 * Knows nothing of HTTP or of onnxruntime's module: it never loads onnxruntime.
 */

/** The data types of the protocol's "Tensor Data Types" table. */
export const OIP_DATATYPES = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
] as const;

/** One of `OIP_DATATYPES`. */
export type OipDatatype = (typeof OIP_DATATYPES)[number];

/** onnxruntime's element type names (`Tensor.Type` of onnxruntime-common) that this gateway exchanges as JSON. */
export type OrtElementType =
  | "bool"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "float32"
  | "float64"
  | "string";

/** A tensor as plain data, ready to become an onnxruntime `Tensor` (the runner builds it; the codec cannot). */
export interface TensorData {
  type: OrtElementType;
  /** Row-major elements: a typed array, or strings for BYTES. */
  data: TensorArray;
  dims: number[];
}

/** The element storage of a tensor. */
export type TensorArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** How one data type is exchanged: its onnxruntime type and how a JSON element is checked and stored. */
interface Codec {
  ort: OrtElementType;
  /** A typed array of `n` elements (or an array of strings). */
  allocate(n: number): TensorArray;
  /** The element to store, or undefined when `value` is not one of this type (the caller names it). */
  convert(value: unknown): number | bigint | string | undefined;
  /** What a valid element looks like, for error details. */
  expected: string;
}

function integer(min: number, max: number) {
  return (value: unknown) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

const DECIMAL = /^-?[0-9]{1,20}$/;

/** 64-bit integers: a safe JSON integer, or a decimal string for values beyond 2^53 (JSON numbers lose them). */
function integer64(min: bigint, max: bigint) {
  return (value: unknown) => {
    let big: bigint;
    if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
    else if (typeof value === "string" && DECIMAL.test(value)) big = BigInt(value);
    else return undefined;
    return big >= min && big <= max ? big : undefined;
  };
}

function number(value: unknown) {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

const FP32_MAX = 3.4028234663852886e38;

const CODECS: Partial<Record<OipDatatype, Codec>> = {
  BOOL: {
    ort: "bool",
    allocate: (n) => new Uint8Array(n),
    convert: (v) => (typeof v === "boolean" ? (v ? 1 : 0) : undefined),
    expected: "true or false",
  },
  UINT8: { ort: "uint8", allocate: (n) => new Uint8Array(n), convert: integer(0, 255), expected: "an integer 0..255" },
  UINT16: {
    ort: "uint16",
    allocate: (n) => new Uint16Array(n),
    convert: integer(0, 65535),
    expected: "an integer 0..65535",
  },
  UINT32: {
    ort: "uint32",
    allocate: (n) => new Uint32Array(n),
    convert: integer(0, 2 ** 32 - 1),
    expected: "an integer 0..4294967295",
  },
  UINT64: {
    ort: "uint64",
    allocate: (n) => new BigUint64Array(n),
    convert: integer64(0n, 2n ** 64n - 1n),
    expected: "an integer 0..2^64-1 (a decimal string beyond 2^53)",
  },
  INT8: {
    ort: "int8",
    allocate: (n) => new Int8Array(n),
    convert: integer(-128, 127),
    expected: "an integer -128..127",
  },
  INT16: {
    ort: "int16",
    allocate: (n) => new Int16Array(n),
    convert: integer(-32768, 32767),
    expected: "an integer -32768..32767",
  },
  INT32: {
    ort: "int32",
    allocate: (n) => new Int32Array(n),
    convert: integer(-(2 ** 31), 2 ** 31 - 1),
    expected: "an integer -2^31..2^31-1",
  },
  INT64: {
    ort: "int64",
    allocate: (n) => new BigInt64Array(n),
    convert: integer64(-(2n ** 63n), 2n ** 63n - 1n),
    expected: "an integer -2^63..2^63-1 (a decimal string beyond 2^53)",
  },
  FP32: {
    ort: "float32",
    allocate: (n) => new Float32Array(n),
    // A finite number that float32 can hold (larger magnitudes would silently become Infinity).
    convert: (v) => (typeof v === "number" && Math.abs(v) <= FP32_MAX ? v : undefined),
    expected: "a finite number within float32's range",
  },
  FP64: { ort: "float64", allocate: (n) => new Float64Array(n), convert: number, expected: "a finite number" },
  BYTES: {
    ort: "string",
    allocate: (n) => new Array<string>(n).fill(""),
    convert: (v) => (typeof v === "string" ? v : undefined),
    expected: "a string",
  },
};

/** Whether `value` is a data type name of the protocol. */
export function isOipDatatype(value: unknown): value is OipDatatype {
  return typeof value === "string" && (OIP_DATATYPES as readonly string[]).includes(value);
}

/**
 * The codec of a data type this gateway can send and receive as JSON, or undefined (FP16: the protocol itself notes
 * that JSON has no standard half-precision representation).
 */
export function codecOf(datatype: OipDatatype): Codec | undefined {
  return CODECS[datatype];
}

const FROM_ORT: Record<string, OipDatatype> = {
  bool: "BOOL",
  uint8: "UINT8",
  uint16: "UINT16",
  uint32: "UINT32",
  uint64: "UINT64",
  int8: "INT8",
  int16: "INT16",
  int32: "INT32",
  int64: "INT64",
  float16: "FP16",
  float32: "FP32",
  float64: "FP64",
  string: "BYTES",
};

/**
 * The protocol's data type of an onnxruntime element type (`float32` -> `FP32`, `string` -> `BYTES`), or undefined
 * for types the protocol has no name for (4-bit integers).
 */
export function oipDatatypeOf(ortType: string): OipDatatype | undefined {
  return FROM_ORT[ortType];
}
