/** The three dtypes: float64 (default), float32, int32 (labels). */
export type DType = 'float64' | 'float32' | 'int32';
export type TypedArray = Float64Array | Float32Array | Int32Array;

export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float64':
      return new Float64Array(size);
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
  }
}

export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  return 'int32';
}

export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

/**
 * Result dtype of a float op: the float inputs decide (float32 stays float32,
 * float32 with float64 gives float64); int32 inputs (labels) do not vote, and
 * an op over int32 only computes in float64.
 */
export function promote(...dtypes: DType[]): 'float64' | 'float32' {
  let sawFloat32 = false;
  for (const d of dtypes) {
    if (d === 'float64') return 'float64';
    if (d === 'float32') sawFloat32 = true;
  }
  return sawFloat32 ? 'float32' : 'float64';
}
