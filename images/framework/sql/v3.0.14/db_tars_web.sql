-- tars-docker lab schema for db_tars_web, framework image v3.0.14
-- TarsWeb 3.0.10: adds t_application (TarsWeb 3.0.0); t_plugin is made by TarsWeb's models, not this file
-- Layout follows mysqldump; definitions follow TarsWeb's sql/db_tars_web.sql.
-- ------------------------------------------------------

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `t_application`
--

DROP TABLE IF EXISTS `t_application`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `t_application` (
  `f_id` int(11) NOT NULL AUTO_INCREMENT,
  `f_name` varchar(64) NOT NULL DEFAULT '' COMMENT '应用名',
  `f_create_person` varchar(64) NOT NULL DEFAULT '' COMMENT '创建者',
  `f_create_time` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT '更新时间',
  `f_update_person` varchar(64) NOT NULL DEFAULT '' COMMENT '更新人',
  `f_update_time` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT '更新时间',
  PRIMARY KEY (`f_id`),
  UNIQUE KEY `f_name` (`f_name`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COMMENT='应用';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_bm_case`
--

DROP TABLE IF EXISTS `t_bm_case`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `t_bm_case` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `servant` varchar(128) NOT NULL,
  `fn` varchar(64) NOT NULL,
  `des` varchar(256) DEFAULT '',
  `in_values` text,
  `endpoints` text,
  `links` int(11) DEFAULT NULL,
  `speed` int(11) DEFAULT NULL,
  `duration` int(11) DEFAULT NULL,
  `posttime` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `is_deleted` int(11) NOT NULL DEFAULT '0',
  `status` int(11) NOT NULL DEFAULT '0',
  `results` text,
  PRIMARY KEY (`id`),
  KEY `t_bm_case_servant_fn` (`servant`,`fn`)
) ENGINE=InnoDB CHARSET=utf8;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_patch_task`
--

DROP TABLE IF EXISTS `t_patch_task`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `t_patch_task` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `server` varchar(50) DEFAULT NULL,
  `tgz` text,
  `task_id` varchar(64) DEFAULT NULL COMMENT '任务ID',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB CHARSET=utf8;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_tars_files`
--

DROP TABLE IF EXISTS `t_tars_files`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `t_tars_files` (
  `f_id` int(11) NOT NULL AUTO_INCREMENT,
  `application` varchar(64) NOT NULL DEFAULT '' COMMENT '应用名',
  `server_name` varchar(128) NOT NULL DEFAULT '' COMMENT '服务名',
  `file_name` varchar(64) NOT NULL DEFAULT '' COMMENT '文件名',
  `posttime` datetime DEFAULT NULL COMMENT '更新时间',
  `context` mediumtext COMMENT '解析后的JSON对象',
  `benchmark_context` text,
  PRIMARY KEY (`server_name`,`file_name`),
  UNIQUE KEY `f_id` (`f_id`) USING BTREE
) ENGINE=InnoDB CHARSET=utf8 COMMENT='接口测试tars文件表';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_gateway_obj`
--

DROP TABLE IF EXISTS `t_gateway_obj`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `t_gateway_obj` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `update_person` varchar(64) NOT NULL DEFAULT '',
  `posttime` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `obj` varchar(128) NOT NULL DEFAULT '',
  UNIQUE KEY `column` (`id`),
  UNIQUE KEY `t_gateway_obj_obj` (`obj`)
) ENGINE=InnoDB CHARSET=utf8 COMMENT='网关控制obj记录表';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_tars_test_case`
--

DROP TABLE IF EXISTS `t_tars_test_case`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `t_tars_test_case` (
  `case_id` int(11) NOT NULL AUTO_INCREMENT,
  `f_id` int(11) NOT NULL COMMENT '所属的t_tars_files记录的id',
  `test_case_name` varchar(128) NOT NULL DEFAULT '' COMMENT '测试用例名',
  `application` varchar(64) NOT NULL DEFAULT '' COMMENT '应用名',
  `server_name` varchar(128) NOT NULL DEFAULT '' COMMENT '服务名',
  `object_name` varchar(256) NOT NULL DEFAULT '',
  `file_name` varchar(64) NOT NULL DEFAULT '' COMMENT 'tars文件名',
  `module_name` varchar(256) NOT NULL DEFAULT '',
  `interface_name` varchar(256) NOT NULL DEFAULT '',
  `function_name` varchar(256) NOT NULL DEFAULT '',
  `posttime` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `context` mediumtext COMMENT '用例内容',
  `modify_user` varchar(64) NOT NULL DEFAULT '' COMMENT '用户',
  PRIMARY KEY (`f_id`,`test_case_name`),
  UNIQUE KEY `case_id` (`case_id`)
) ENGINE=InnoDB DEFAULT CHARSET=gbk COMMENT='接口测试 测试用例表';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_kafka_queue` (no longer created; kept here as in TarsWeb)
--

-- CREATE TABLE `t_kafka_queue` (
--   `id` int(11) NOT NULL AUTO_INCREMENT,
--   `topic` varchar(16) NOT NULL DEFAULT '',
--   `partition` int(4) NOT NULL DEFAULT '0',
--   `offset` int(11) NOT NULL DEFAULT '0',
--   `task_no` varchar(64) NOT NULL DEFAULT '' COMMENT '任务ID',
--   `status` varchar(16) NOT NULL DEFAULT 'waiting' COMMENT '任务状态',
--   `message` varchar(256) DEFAULT '',
--   PRIMARY KEY (`id`,`task_no`,`status`)
-- ) ENGINE=InnoDB CHARSET=utf8;

/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- end of lab schema
