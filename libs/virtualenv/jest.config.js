module.exports = require('../../.config/jest.preset')(__dirname);
