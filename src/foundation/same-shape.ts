/**
 * `true` when two object types have the same keys and each is assignable to the other; `false` otherwise.
 * The public option interfaces are written for people to read, and their zod schemas check values at run
 * time: `const _: SameShape<Interface, z.input<typeof Schema>> = true` beside each pair makes `tsc` fail the
 * moment the two disagree (a field added to one only, a type changed in one only).
 */
export type SameShape<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? [A] extends [B]
      ? [B] extends [A]
        ? true
        : false
      : false
    : false
  : false;
