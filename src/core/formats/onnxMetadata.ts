/**
 * The metadata_props of an ONNX file (ModelProto field 14: key/value strings), read by walking
 * the top-level protobuf fields and skipping the rest, graph and weights included, unparsed.
 * It is how a backbone declares what the ONNX graph cannot: its patch size and the input
 * statistics it was trained with.
 */
const METADATA_FIELD = 14;
const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export class OnnxMetadataError extends Error {
  override readonly name = 'OnnxMetadataError';
}

/** Every metadata entry by key (a key given twice keeps its last value). */
export function onnxMetadata(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const field of fields(bytes)) {
    if (field.number !== METADATA_FIELD || field.value === null) continue;
    let key = '';
    let value = '';
    for (const entry of fields(field.value)) {
      if (entry.value === null) continue;
      if (entry.number === 1) key = utf8(entry.value);
      if (entry.number === 2) value = utf8(entry.value);
    }
    out.set(key, value);
  }
  return out;
}

interface Field {
  readonly number: number;
  /** The bytes of a length-delimited field; null for the numeric wire types. */
  readonly value: Uint8Array | null;
}

function* fields(bytes: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (at >= bytes.length) throw new OnnxMetadataError(`the protobuf ends inside a number at byte ${at}`);
      const byte = bytes[at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      if (scale > 2 ** 56) throw new OnnxMetadataError(`a number at byte ${at} is longer than 64 bits`);
    }
  };
  while (at < bytes.length) {
    const tag = varint();
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    let value: Uint8Array | null = null;
    if (wire === WIRE.varint) varint();
    else if (wire === WIRE.fixed64) at += 8;
    else if (wire === WIRE.fixed32) at += 4;
    else if (wire === WIRE.bytes) {
      const length = varint();
      value = bytes.subarray(at, at + length);
      at += length;
    } else throw new OnnxMetadataError(`field ${number} has wire type ${wire}, which ONNX does not use`);
    if (at > bytes.length) throw new OnnxMetadataError(`field ${number} runs past the end of the file`);
    yield { number, value };
  }
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
