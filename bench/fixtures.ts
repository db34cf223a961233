/** Fixed, realistic payloads shared by the bench server and clients. */

export const RECORD = {
  name: 'Alice',
  age: 30,
  id: '45a7b992-d3ed-491b-81cc-2ed962a1faf4',
  role: 'user',
  _version: 1,
  _createdAt: 1795708183733,
  _updatedAt: 1795708183733,
};
export const RECORD_JSON = JSON.stringify(RECORD);

/** What a reactive query (`all-users`) pushes: a short list of records. */
export const PUSH_DATA = [0, 1, 2].map((i) => ({
  ...RECORD,
  id: RECORD.id.slice(0, -1) + i,
  name: `User ${i}`,
}));
export const PUSH_DATA_JSON = JSON.stringify(PUSH_DATA);

export const NEW_USER = { name: 'Alice', age: 30, role: 'user' };

/** Level 1's pre-serialised request and the server's pre-serialised answer. */
export const ECHO_REQUEST = JSON.stringify({ id: 1, type: 'store.get', bucket: 'users', key: 'k' });
export const ECHO_RESULT = `{"id":1,"type":"result","data":${RECORD_JSON}}`;

export const pushFrame = (subscriptionId: string, dataJson = PUSH_DATA_JSON) =>
  `{"type":"push","channel":"subscription","subscriptionId":"${subscriptionId}","data":${dataJson}}`;
