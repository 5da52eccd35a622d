/**
 * `metric` of GET /v1/stores/:id/history for the Account Health Rating's score (0-1000) over time,
 * beside the metric ids. A module of its own, without the schemas: the popup's detail imports it.
 */
export const AHR_SERIES = 'ahr';
