// --on-error skip: a record that is not well-formed is dropped, and reading goes on at the next one.

/** Thrown into the builder under --on-error skip: it drops the record being built, and answers here. */
export class SkipRecord extends Error {
  override name = 'SkipRecord';
  /** elements open around the record (its parent, and theirs); -1 until the builder answers */
  depth = -1;
  /** a record was being built, and is dropped */
  dropped = false;
}
