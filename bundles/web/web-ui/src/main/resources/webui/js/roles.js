// Role groups for page visibility (security-api Roles). The server checks permissions on every
// request: these only decide what the navigation offers.
export const AUTHORITY = ['authority-admin', 'authority-user', 'authority-viewer'];
export const AUTHORITY_ORDER = ['authority-admin', 'authority-user'];
export const AUTHORITY_ADMIN = ['authority-admin'];
export const OPERATOR = ['sid-admin', 'sid-operator'];
export const SID_READ = ['sid-admin', 'sid-operator', 'billing-clerk'];
export const MONITORING = ['sid-admin', 'sid-operator', 'monitoring'];
export const BILLING = ['sid-admin', 'billing-clerk'];
