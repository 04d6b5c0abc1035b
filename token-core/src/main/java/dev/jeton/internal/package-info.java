/**
 * Jeton's implementation. <strong>Not part of the API</strong>: public only so that Jeton's own packages can share
 * it; any type here may change or disappear in any release. The jar manifest lists this package under
 * {@code Jeton-Internal-Packages}, and the published Javadoc leaves it out.
 */
package dev.jeton.internal;
