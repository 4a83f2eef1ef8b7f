/** A nominal ("branded") type: a string that has been checked to be a particular kind of code. */
export type Brand<T, B extends string> = T & { readonly __brand: B };
