'use strict';
// What the Management API answers for a user's MFA methods: GET /api/v2/users/{id}/
// authentication-methods (paged) and /enrollments (the first confirmed enrollment only). Shared
// by the sample tenant (js/sample-tenant.js, over HTTP) and the playground page (inside its fetch),
// so both answer the same way. No Node built-ins: it also runs in a browser.

const MAX_PER_PAGE = 100;

function auth0Error(statusCode, error, message, errorCode) {
  return errorCode === undefined ? { statusCode, error, message } : { statusCode, error, message, errorCode };
}

/**
 * [status, body] of a read of `user` ({authentication_methods?, enrollments?}) at `endpoint`
 * ('authentication-methods' or 'enrollments') with the request's query string.
 */
function methodsAnswer(user, endpoint, queryString, maskNumbers) {
  const methods = Array.isArray(user.authentication_methods) ? user.authentication_methods : [];
  const mask = (item) => maskItem(item, maskNumbers);
  if (endpoint === 'enrollments') {
    const enrollments = Array.isArray(user.enrollments)
      ? user.enrollments.filter((item) => item && item.status === 'confirmed').slice(0, 1)
      : deriveEnrollments(methods);
    return [200, enrollments.map(mask)];
  }
  const query = new URLSearchParams(queryString || '');
  const page = query.has('page') ? Number(query.get('page')) : 0;
  const perPage = query.has('per_page') ? Number(query.get('per_page')) : 50;
  if (!Number.isInteger(page) || page < 0 || !Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    return [400, auth0Error(400, 'Bad Request', 'Query validation error: invalid page or per_page', 'invalid_query_string')];
  }
  const start = page * perPage;
  const slice = methods.slice(start, start + perPage).map(mask);
  if (query.get('include_totals') === 'true') {
    return [200, { start, limit: perPage, total: methods.length, authenticators: slice }];
  }
  return [200, slice];
}

function maskItem(item, maskNumbers) {
  const copy = structuredClone(item);
  if (maskNumbers && copy && typeof copy.phone_number === 'string') copy.phone_number = maskPhone(copy.phone_number);
  return copy;
}

// /enrollments lists only the first confirmed Guardian enrollment (platform-facts.md); without
// explicit enrollments it is derived from the first confirmed phone method.
function deriveEnrollments(methods) {
  const phone = methods.find((item) => item && item.type === 'phone' && item.confirmed === true);
  if (!phone) return [];
  const channel = phone.preferred_authentication_method === 'voice' ? 'voice' : 'sms';
  const inner = Array.isArray(phone.authentication_methods)
    ? phone.authentication_methods.find((item) => item && item.type === channel)
    : undefined;
  const enrollment = {
    id: inner && typeof inner.id === 'string' ? inner.id : phone.id,
    status: 'confirmed',
    type: channel,
    name: phone.name,
    phone_number: phone.phone_number,
    auth_method: channel,
    enrolled_at: phone.enrolled_at || phone.created_at,
    last_auth: phone.last_auth_at,
  };
  for (const key of Object.keys(enrollment)) if (enrollment[key] === undefined) delete enrollment[key];
  return [enrollment];
}

// The real mask format is undocumented; this follows the example in the brief ('XXXXXXXX4567').
function maskPhone(number) {
  const digits = number.replace(/\D/g, '');
  return `XXXXXXXX${digits.slice(-4)}`;
}

module.exports = { methodsAnswer, maskItem, auth0Error };
